package dev.asyncprod.server.tasks;

import static dev.asyncprod.server.tasks.TaskFixtures.blockFor;
import static dev.asyncprod.server.tasks.TaskFixtures.finished;
import static dev.asyncprod.server.tasks.TaskFixtures.ids;
import static dev.asyncprod.server.tasks.TaskFixtures.list;
import static dev.asyncprod.server.tasks.TaskFixtures.live;
import static dev.asyncprod.server.tasks.TaskFixtures.request;
import static dev.asyncprod.server.tasks.TaskFixtures.spin;
import static dev.asyncprod.server.tasks.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The four lints as the view shows them: on the task (its {@code lints}) and in the page's counts
 * ({@code tasks_lints_total}). Each is set once per task.
 */
class LintTest {

    private TaskRegistry registry = TaskRegistry.create(TaskRegistry.DEFAULT_FINISHED, Duration.ofMillis(100), Duration.ofMinutes(5));
    private TaskView view = new TaskView(registry, "async");

    @AfterEach
    void close() {
        view.close();
        registry.close();
    }

    @Test
    void aChildStillLiveWhenItsRequestFinishesIsAnOrphanAndARootOfTheLiveView() {
        Task root = request(registry, "/fanout?calls=2&ms=5000", 0);
        Task answered = root.child(TaskKind.HTTP_CALL, "call 1");
        Task left = root.child(TaskKind.HTTP_CALL, "call 2");
        left.awaiting(Wait.on("GET http://127.0.0.1:9/sleep?ms=5000"));
        answered.finish(Outcome.answered(200));

        root.finish(Outcome.answered(504));

        JsonNode livePage = list(view, live());
        assertThat(livePage.get("lints").get("orphan").asLong()).isEqualTo(1);
        assertThat(livePage.get("total").asInt()).as("its parent is done: nothing live holds it").isEqualTo(1);
        assertThat(ids(livePage)).containsExactly(left.id());
        JsonNode orphan = task(livePage, left.id());
        assertThat(orphan.get("parent_id").asLong()).as("it still names its request").isEqualTo(root.id());
        assertThat(orphan.get("kind").asText()).isEqualTo("http_call");
        assertThat(orphan.get("lints")).extracting(JsonNode::asText).containsExactly("orphan");

        JsonNode ring = list(view, finished());
        assertThat(task(ring, answered.id()).get("lints")).as("finished before its request: no orphan").isEmpty();
        assertThat(task(ring, left.id()).get("lints")).extracting(JsonNode::asText).containsExactly("orphan");

        left.finish(Outcome.cancelled("its request was answered"));
        JsonNode after = list(view, live());
        assertThat(after.get("total").asInt()).isZero();
        assertThat(after.get("lints").get("orphan").asLong()).as("counted once").isEqualTo(1);
    }

    @Test
    void theSweepFlagsTasksOlderThanTheRequestTimeoutButNotDeliveries() {
        view.close();
        registry.close();
        registry = TaskRegistry.create(TaskRegistry.DEFAULT_FINISHED, Duration.ofMillis(100), Duration.ofMillis(100));
        view = new TaskView(registry, "async");
        Task delivery = registry.register(Task.background(TaskKind.DELIVERY, "job 7", "attempt 1, accepted by request r-1"));
        Task root = request(registry, "/sleep?ms=60000", 0);
        Task child = root.child(TaskKind.SLEEPER, "task-1");
        child.awaiting(Wait.timer(System.nanoTime() + TimeUnit.MINUTES.toNanos(1)));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(list(view, live()).get("lints").get("stuck").asLong()).isEqualTo(2));

        JsonNode page = list(view, live());
        assertThat(task(page, root.id()).get("lints")).extracting(JsonNode::asText).containsExactly("stuck");
        assertThat(task(page, child.id()).get("lints")).extracting(JsonNode::asText).containsExactly("stuck");
        assertThat(task(page, delivery.id()).get("lints")).as("a delivery is bounded by its own timeouts, not the request's")
                .isEmpty();
    }

    @Test
    void aCallbackHeldPastTheThresholdIsABlockedLoop() throws Exception {
        Task slow = request(registry, "/debug/block?ms=250", 0);
        Task quick = request(registry, "/hello", 0);
        Thread loop = Thread.ofPlatform().name("event-loop-test").start(() -> {
            try (Task.Scope running = slow.enter()) {
                blockFor(Duration.ofMillis(250));
            }
            try (Task.Scope running = slow.enter()) { // a second long callback: flagged once
                blockFor(Duration.ofMillis(150));
            }
            try (Task.Scope running = quick.enter()) {
                spin(Duration.ofMillis(1));
            }
        });
        assertThat(loop.join(Duration.ofSeconds(30))).isTrue();

        JsonNode page = list(view, live());
        assertThat(task(page, slow.id()).get("lints")).extracting(JsonNode::asText).containsExactly("blocked_loop");
        assertThat(task(page, slow.id()).get("thread").get("kind").asText()).isEqualTo("event_loop");
        assertThat(task(page, quick.id()).get("lints")).isEmpty();
        assertThat(page.get("lints").get("blocked_loop").asLong()).isEqualTo(1);
    }

    @Test
    void onlyAnEventLoopHeldTooLongIsLinted() {
        // In async mode the email pump's own thread enters a delivery's scope while it starts the
        // attempt: a slow start there blocks no loop, and is no blocked_loop.
        Task root = request(registry, "/hello", 0);
        try (Task.Scope running = root.enter()) {
            spin(Duration.ofMillis(150));
        }
        JsonNode t = task(list(view, live()), root.id());
        assertThat(t.get("thread").get("kind").asText()).isEqualTo("platform");
        assertThat(t.get("lints")).isEmpty();
    }

    @Test
    void aPinnedVirtualThreadFlagsTheTaskItRuns() throws Exception {
        Task root = request(registry, "/db?queries=1", 0);
        root.mode("virtual");
        Task other = request(registry, "/hello", 0);
        CountDownLatch release = new CountDownLatch(1);
        Thread virtual = Thread.ofVirtual().name("virtual-pinned").start(() -> {
            try {
                root.call(() -> release.await(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> task(list(view, live()), root.id()).get("thread").isObject());

            registry.pinned(virtual.threadId()); // as JFR's jdk.VirtualThreadPinned reports it

            JsonNode page = list(view, live());
            assertThat(task(page, root.id()).get("lints")).extracting(JsonNode::asText).containsExactly("pinned");
            assertThat(task(page, other.id()).get("lints")).isEmpty();
            assertThat(page.get("lints").get("pinned").asLong()).isEqualTo(1);
        } finally {
            release.countDown();
            assertThat(virtual.join(Duration.ofSeconds(30))).isTrue();
        }

        registry.pinned(Long.MAX_VALUE); // a thread whose task had finished
        JsonNode page = list(view, live());
        assertThat(page.get("lints").get("pinned").asLong()).as("still counted").isEqualTo(2);
        assertThat(task(page, other.id()).get("lints")).isEmpty();
    }
}
