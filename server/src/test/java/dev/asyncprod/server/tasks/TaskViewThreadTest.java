package dev.asyncprod.server.tasks;

import static dev.asyncprod.server.tasks.TaskFixtures.live;
import static dev.asyncprod.server.tasks.TaskFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.base.testing.BoundedJoin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The view reads the registry on its own {@code tasks-view} thread, never on the caller's (a
 * serving event loop), and refuses a burst of readers beyond a few queued rather than queueing
 * them without bound.
 */
class TaskViewThreadTest {

    @RegisterExtension
    final TasksUnderTest tasks = new TasksUnderTest(TaskRegistry.DEFAULT_FINISHED, Duration.ofSeconds(5), Duration.ofMinutes(5));
    private final TaskRegistry registry = tasks.registry;
    private final TaskView view = tasks.view;

    @Test
    void theViewThreadStartsWithTheViewNotWithItsFirstReader() {
        // Thread.start waits until the new thread runs: the first reader, a serving event loop, must not be the one to start it.
        Set<Thread> before = viewThreads();
        try (TaskView another = new TaskView(registry, "async")) {
            assertThat(viewThreads()).as("a tasks-view thread alive before any read").anySatisfy(t -> assertThat(before).doesNotContain(t));
        }
    }

    private static Set<Thread> viewThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("tasks-view") && t.isAlive()) {
                threads.add(t);
            }
        }
        return threads;
    }

    @Test
    void everyReadRunsOnTheViewThread() {
        Set<String> readers = ConcurrentHashMap.newKeySet();
        Task root = request(registry, "/sleep?ms=1000", 0);
        root.awaiting(now -> {
            readers.add(Thread.currentThread().getName());
            return "a wait that notes who reads it";
        });

        BoundedJoin.join(view.list(live()));
        BoundedJoin.join(view.tree(live()));
        BoundedJoin.join(view.where(root.id()));

        assertThat(readers).containsExactly("tasks-view");
    }

    @Test
    void aBurstOfReadersBeyondTheQueueIsRefused() {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Task root = request(registry, "/sleep?ms=1000", 0);
        root.awaiting(now -> {
            reading.countDown();
            try {
                release.await(30, TimeUnit.SECONDS); // a slow read holds the view thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "held";
        });
        List<CompletableFuture<Map<String, Object>>> reads = new ArrayList<>();
        try {
            reads.add(view.list(live()));
            await().atMost(Duration.ofSeconds(10)).until(() -> reading.getCount() == 0);
            for (int i = 0; i < TaskView.QUEUED_READS; i++) {
                reads.add(view.list(live()));
            }

            CompletableFuture<Optional<Map<String, Object>>> refused = view.where(root.id());

            assertThat(refused).isCompletedExceptionally();
            assertThat(refused.exceptionNow()).isInstanceOf(RejectedExecutionException.class);
        } finally {
            release.countDown();
        }
        for (CompletableFuture<Map<String, Object>> read : reads) {
            assertThat(BoundedJoin.join(read).get("shown")).isEqualTo(1);
        }
    }
}
