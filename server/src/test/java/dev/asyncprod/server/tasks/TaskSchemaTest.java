package dev.asyncprod.server.tasks;

import static dev.asyncprod.server.tasks.TaskFixtures.JSON;
import static dev.asyncprod.server.tasks.TaskFixtures.finished;
import static dev.asyncprod.server.tasks.TaskFixtures.live;
import static dev.asyncprod.server.tasks.TaskFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import dev.asyncprod.base.testing.BoundedJoin;
import dev.asyncprod.server.support.TaskViews;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the view writes is what {@code tasks.schema.json} promises, for every kind of task it shows:
 * a request root, its children running, waiting and done, a background root with its detail, a
 * platform thread's CPU time, a finished root; and a {@code where} answer with a stack and a future.
 */
class TaskSchemaTest {

    @RegisterExtension
    final TasksUnderTest tasks = new TasksUnderTest(TaskRegistry.DEFAULT_FINISHED, Duration.ofSeconds(5), Duration.ofMinutes(5));
    private final TaskRegistry registry = tasks.registry;
    private final TaskView view = tasks.view;

    @Test
    void pagesAndWhereAnswersFollowTheSchema() throws Exception {
        Task root = request(registry, "/gather?ms=10,5000", 200);
        Task done = root.child(TaskKind.SLEEPER, "task-1");
        Task waiting = root.child(TaskKind.SLEEPER, "task-2");
        Task failed = root.child(TaskKind.HTTP_CALL, "call 3");
        Task queued = root.child(TaskKind.QUERY, "SELECT 1");
        try (Task.Scope running = root.enter()) {
            done.call(() -> null); // a platform thread's body: cpu_us
        }
        done.finish(Outcome.ok());
        waiting.awaiting(Wait.timer(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)));
        CompletableFuture<Void> timer = new CompletableFuture<>();
        waiting.watch(timer);
        failed.finish(Outcome.failed(new IllegalStateException("connection refused")));
        queued.queued(Wait.pool("database pool", () -> 10, 10));
        Task delivery = registry.register(Task.background(TaskKind.DELIVERY, "job 42", "attempt 1, accepted by " + root.origin()));
        delivery.mode("async");
        Task refused = registry.register(Task.request(TaskFixtures.facts("POST", "/email"), System.nanoTime())); // no mode yet

        CountDownLatch release = new CountDownLatch(1);
        Task blocked = request(registry, "/sleep?ms=5000", 0);
        blocked.mode("blocking");
        Thread worker = Thread.ofPlatform().name("blocking-schema").start(() -> {
            try {
                blocked.call(() -> {
                    try (Task.Waiting timerWait = blocked.block(Wait.timer(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)))) {
                        return release.await(30, TimeUnit.SECONDS);
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> TaskThreads.shownState(blocked) == TaskState.WAITING && blocked.thread != null);

            JsonNode livePage = valid(BoundedJoin.join(view.list(live())));
            assertThat(livePage.get("tasks")).hasSize(4);
            assertThat(TaskFixtures.task(livePage, done.id()).get("cpu_us").isIntegralNumber()).isTrue();
            assertThat(TaskFixtures.task(livePage, delivery.id()).get("detail").asText()).startsWith("attempt 1, accepted by request ");
            assertThat(TaskFixtures.task(livePage, refused.id()).get("mode").isNull()).isTrue();

            JsonNode stack = valid(BoundedJoin.join(view.where(blocked.id())).orElseThrow());
            assertThat(stack.get("where").get("stack")).isNotEmpty();
            JsonNode future = valid(BoundedJoin.join(view.where(waiting.id())).orElseThrow());
            assertThat(future.get("where").get("future").get("done").asBoolean()).isFalse();

            timer.complete(null);
            waiting.finish(Outcome.ok());
            queued.finish(Outcome.cancelled("its request was cancelled"));
            root.finish(Outcome.answered(200));
            JsonNode ring = valid(BoundedJoin.join(view.list(finished())));
            assertThat(ring.get("tasks").get(0).get("outcome").get("status").asInt()).isEqualTo(200);
            valid(BoundedJoin.join(view.where(root.id())).orElseThrow());
        } finally {
            release.countDown();
            assertThat(worker.join(Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void theSchemaIsNotAPushover() {
        request(registry, "/hello", 0);
        Map<String, Object> page = view.page(live());
        JsonSchema schema = TaskViews.schema();
        assertThat(schema.validate(JSON.valueToTree(page))).isEmpty();
        ObjectNode broken = JSON.valueToTree(page);
        broken.put("total", -1);
        assertThat(schema.validate(broken)).as("a negative total is refused").isNotEmpty();
        ObjectNode extra = JSON.valueToTree(page);
        extra.put("surprise", true);
        assertThat(schema.validate(extra)).as("an unknown field is refused").isNotEmpty();
    }

    private static JsonNode valid(Object answer) {
        return TaskViews.valid(JSON.valueToTree(answer));
    }
}
