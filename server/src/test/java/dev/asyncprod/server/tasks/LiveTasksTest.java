package dev.asyncprod.server.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The live set's event-loop lists: a root registered on a loop is live until finished, whether it
 * finishes on its loop or on another thread, and a reader on another thread never loses a live one
 * or keeps a finished one while the loop registers and finishes requests as fast as it can.
 */
class LiveTasksTest {

    private final TaskRegistry registry = TaskRegistry.create(16, java.time.Duration.ofSeconds(5), java.time.Duration.ofMinutes(5));

    @Test
    void aRootRegisteredOnALoopIsLiveUntilItFinishesOnTheLoopOrElsewhere() throws Exception {
        BlockingQueue<Task> made = new ArrayBlockingQueue<>(4);
        onLoop(() -> {
            Task a = TaskFixtures.request(registry, "/a", 0);
            Task b = TaskFixtures.request(registry, "/b", 0);
            made.add(a);
            made.add(b);
            assertThat(registry.live()).contains(a, b);
            a.finish(Outcome.answered(200)); // on its loop: unlinked at once
        });
        Task a = made.take();
        Task b = made.take();
        assertThat(registry.live()).doesNotContain(a).contains(b);

        b.finish(Outcome.answered(200)); // on another thread: left linked for its loop, but not live
        assertThat(registry.live()).doesNotContain(a, b);
        assertThat(registry.finishedNewestFirst()).startsWith(b, a);
        // Registered twice (the set it replaced took that in its stride), finished once: the loop unlinks b on the way.
        onLoop(() -> registry.register(TaskFixtures.request(registry, "/c", 0)).finish(Outcome.answered(200)));
        assertThat(registry.live()).isEmpty();
    }

    @Test
    void aReaderSeesEveryLongRequestAndNoFinishedOneWhileTheLoopChurns() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<List<Task>> longOnes = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            List<Task> kept = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                kept.add(TaskFixtures.request(registry, "/sleep", 0));
            }
            longOnes.set(kept);
            while (!stop.get()) { // /hello after /hello, each registered and finished at once
                TaskFixtures.request(registry, "/hello", 0).finish(Outcome.answered(200));
            }
        }, "event-loop-test");
        loop.start();
        try {
            while (longOnes.get() == null) {
                Thread.onSpinWait();
            }
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            int reads = 0;
            while (System.nanoTime() < until) {
                List<Task> live = registry.live();
                assertThat(live).containsAll(longOnes.get());
                // The loop has one /hello live at a time: a copy made mid-write would hold more, or fewer long ones.
                assertThat(live).hasSizeLessThanOrEqualTo(longOnes.get().size() + 1);
                reads++;
            }
            assertThat(reads).isPositive();
        } finally {
            stop.set(true);
            loop.join(5_000);
            registry.close();
        }
    }

    /** Runs {@code body} on a thread named as the server's event loops are, and waits for it. */
    private static void onLoop(ThrowingRunnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "event-loop-test");
        t.start();
        t.join(5_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
