package dev.asyncprod.server.tasks;

import static dev.asyncprod.server.tasks.TaskFixtures.blockFor;
import static dev.asyncprod.server.tasks.TaskFixtures.list;
import static dev.asyncprod.server.tasks.TaskFixtures.live;
import static dev.asyncprod.server.tasks.TaskFixtures.request;
import static dev.asyncprod.server.tasks.TaskFixtures.spin;
import static dev.asyncprod.server.tasks.TaskFixtures.spinCpu;
import static dev.asyncprod.server.tasks.TaskFixtures.task;
import static dev.asyncprod.server.tasks.TaskFixtures.where;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which task has the execution time: a callback's time inside {@link Task#enter}, a body's time in
 * {@link Task#call} less the waits it registered with {@link Task#block}; CPU time for a platform
 * thread only (the JDK has none for a virtual thread, and none is invented). Bounds are what the
 * claims mean, with room for two busy cores: busy time is wall time, so it is at least the spin.
 */
class BusyTimeTest {

    @RegisterExtension
    final TasksUnderTest tasks = new TasksUnderTest(TaskRegistry.DEFAULT_FINISHED, Duration.ofMinutes(1), Duration.ofMinutes(5));
    private final TaskRegistry registry = tasks.registry;
    private final TaskView view = tasks.view;

    @Test
    void aCallbackScopeAddsItsTimeToBusy() {
        Task root = request(registry, "/hello", 0);
        assertThat(task(list(view, live()), root.id()).get("busy_us").asLong()).isZero();

        try (Task.Scope running = root.enter()) {
            spin(Duration.ofMillis(60));
            assertThat(task(list(view, live()), root.id()).get("busy_us").asLong())
                    .as("the running stretch counts while it runs").isGreaterThanOrEqualTo(60_000);
        }
        JsonNode after = task(list(view, live()), root.id());
        assertThat(after.get("state").asText()).as("between callbacks").isEqualTo("waiting");
        long busy = after.get("busy_us").asLong();
        assertThat(busy).isGreaterThanOrEqualTo(60_000);

        try (Task.Scope running = root.enter()) {
            spin(Duration.ofMillis(40));
        }
        assertThat(task(list(view, live()), root.id()).get("busy_us").asLong()).as("a second callback adds to the first")
                .isGreaterThanOrEqualTo(busy + 40_000);
        assertThat(task(list(view, live()), root.id()).get("busy_us").asLong()).as("not counted while no callback runs")
                .isEqualTo(task(list(view, live()), root.id()).get("busy_us").asLong());
    }

    @Test
    void aBlockedWaitIsNotBusyTimeAndAPlatformThreadHasCpuTime() throws Exception {
        Task root = request(registry, "/sleep?ms=300", 0);
        root.mode("blocking");
        AtomicLong blockedNanos = new AtomicLong();

        root.call(() -> {
            long start = System.nanoTime();
            try (Task.Waiting timer = root.block(Wait.timer(start + TimeUnit.MILLISECONDS.toNanos(300)))) {
                blockFor(Duration.ofMillis(300));
            }
            blockedNanos.set(System.nanoTime() - start);
            return null;
        });

        JsonNode t = task(list(view, live()), root.id());
        long blockedMs = TimeUnit.NANOSECONDS.toMillis(blockedNanos.get());
        assertThat(blockedMs).isGreaterThanOrEqualTo(300);
        assertThat(t.get("busy_us").asLong()).as("busy time leaves out the %d ms blocked", blockedMs).isLessThan(200_000);
        assertThat(t.get("cpu_us").isNull()).as("a platform thread's CPU time is read").isFalse();
        assertThat(t.get("cpu_us").asLong()).as("a parked thread burns no CPU").isBetween(0L, 200_000L);
        assertThat(t.get("thread").get("kind").asText()).isEqualTo("platform");
    }

    @Test
    void aChildRunInlineOnItsParentsThreadKeepsItsTimeToItself() throws Exception {
        assumeTrue(TaskClock.cpuNanos() >= 0, "the JDK measures no CPU time for this thread");
        Task root = request(registry, "/gather?ms=0", 0);
        root.mode("blocking");
        Task child = root.child(TaskKind.SLEEPER, "task-1");

        root.call(() -> child.call(() -> { // blocking mode's fork: the child runs on its parent's thread
            spinCpu(Duration.ofMillis(100));
            return null;
        }));

        JsonNode page = list(view, live());
        JsonNode parent = task(page, root.id());
        JsonNode inline = task(page, child.id());
        assertThat(inline.get("cpu_us").asLong()).isGreaterThanOrEqualTo(100_000);
        assertThat(inline.get("busy_us").asLong()).isGreaterThanOrEqualTo(100_000);
        assertThat(parent.get("busy_us").asLong()).as("the parent waited on its child").isLessThan(50_000);
        assertThat(parent.get("cpu_us").asLong()).as("the child's CPU time is the child's, as its busy time is").isLessThan(50_000);
    }

    @Test
    void aVirtualThreadHasNoCpuTime() throws Exception {
        Task root = request(registry, "/sleep?ms=50", 0);
        root.mode("virtual");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread virtual = Thread.ofVirtual().name("virtual-test").start(() -> {
            try {
                root.call(() -> {
                    spin(Duration.ofMillis(20));
                    try (Task.Waiting timer = root.block(Wait.timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)))) {
                        blockFor(Duration.ofMillis(50));
                    }
                    return null;
                });
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        assertThat(virtual.join(Duration.ofSeconds(30))).as("the virtual thread ended").isTrue();
        assertThat(failed.get()).isNull();

        JsonNode t = task(list(view, live()), root.id());
        assertThat(t.get("cpu_us").isNull()).as("the JDK has no CPU time for a virtual thread; none is invented").isTrue();
        assertThat(t.get("busy_us").asLong()).as("its body's time is still busy time").isGreaterThanOrEqualTo(20_000);
        assertThat(t.get("thread").get("kind").asText()).isEqualTo("virtual");
        assertThat(t.get("thread").get("name").asText()).isEqualTo("virtual-test");
    }

    @Test
    void whileItsThreadIsBlockedTheViewSaysOnWhatAndShowsTheStack() throws Exception {
        Task root = request(registry, "/db?queries=1", 0);
        root.mode("blocking");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch parkedUnregistered = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().name("blocking-test-1").start(() -> {
            try {
                root.call(() -> {
                    try (Task.Waiting query = root.block(Wait.on("query on backend pid 4711"))) {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    parkedUnregistered.await(30, TimeUnit.SECONDS); // a wait nobody registered: a lock, a Future.get
                    return null;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode t = task(list(view, live()), root.id());
                assertThat(t.get("state").asText()).isEqualTo("waiting");
                assertThat(t.get("waiting_on").asText()).isEqualTo("query on backend pid 4711");
                assertThat(t.get("thread").get("name").asText()).isEqualTo("blocking-test-1");
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode w = where(view, root.id());
                assertThat(w.get("where").get("thread_state").asText()).isEqualTo("TIMED_WAITING");
                assertThat(w.get("where").get("stack")).anySatisfy(frame -> assertThat(frame.asText()).contains("CountDownLatch.await"));
                assertThat(w.get("where").get("container").isNull()).as("a platform thread").isTrue();
            });

            release.countDown();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode t = task(list(view, live()), root.id());
                assertThat(t.get("state").asText()).as("running by its own account, its thread parked").isEqualTo("waiting");
                assertThat(t.get("waiting_on").asText()).isEqualTo("thread parked (TIMED_WAITING), no wait registered");
            });
        } finally {
            release.countDown();
            parkedUnregistered.countDown();
            assertThat(worker.join(Duration.ofSeconds(30))).isTrue();
        }
    }
}
