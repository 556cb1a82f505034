package dev.asyncprod.server.tasks;

import static dev.asyncprod.server.tasks.TaskFixtures.finished;
import static dev.asyncprod.server.tasks.TaskFixtures.ids;
import static dev.asyncprod.server.tasks.TaskFixtures.list;
import static dev.asyncprod.server.tasks.TaskFixtures.live;
import static dev.asyncprod.server.tasks.TaskFixtures.request;
import static dev.asyncprod.server.tasks.TaskFixtures.task;
import static dev.asyncprod.server.tasks.TaskFixtures.where;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.base.testing.BoundedJoin;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request's life as {@code /debug/tasks} tells it: the root and the children it spawns, each
 * queued until it runs or waits, a timer counted down as it is read, each child done with its
 * outcome, then the root off the live view and into the finished ring with its outcome and duration.
 */
class TaskLifecycleTest {

    private static final Pattern DUE_IN = Pattern.compile("timer, due in ([\\d,]+) ms");

    @RegisterExtension
    final TasksUnderTest tasks = new TasksUnderTest(TaskRegistry.DEFAULT_FINISHED, Duration.ofSeconds(5), Duration.ofMinutes(5));
    private final TaskRegistry registry = tasks.registry;
    private final TaskView view = tasks.view;

    @Test
    void aRequestAndItsChildrenFromStartToTheFinishedRing() {
        Task root = request(registry, "/gather?ms=5000,10", 1_500);
        Task sleeper1;
        Task sleeper2;
        try (Task.Scope running = root.enter()) { // the request's first callback spawns its children
            sleeper1 = root.child(TaskKind.SLEEPER, "task-1");
            sleeper2 = root.child(TaskKind.SLEEPER, "task-2");
        }

        JsonNode page = list(view, live());
        assertThat(page.get("view").asText()).isEqualTo("live");
        assertThat(page.get("total").asInt()).as("roots: children are under theirs").isEqualTo(1);
        assertThat(ids(page)).containsExactly(root.id());
        JsonNode r = task(page, root.id());
        assertThat(r.get("kind").asText()).isEqualTo("request");
        assertThat(r.get("name").asText()).isEqualTo("GET /gather?ms=5000,10");
        assertThat(r.get("parent_id").isNull()).isTrue();
        assertThat(r.get("state").asText()).isEqualTo("waiting");
        assertThat(r.get("waiting_on").asText()).isEqualTo("its children (2 not done)");
        assertThat(r.get("request").get("target").asText()).isEqualTo("/gather?ms=5000,10");
        assertThat(r.get("age_ms").asLong()).isGreaterThanOrEqualTo(1_500);
        assertThat(r.get("children")).extracting(c -> c.get("id").asLong()).containsExactly(sleeper1.id(), sleeper2.id());
        for (JsonNode child : r.get("children")) {
            assertThat(child.get("parent_id").asLong()).isEqualTo(root.id());
            assertThat(child.get("kind").asText()).isEqualTo("sleeper");
            assertThat(child.get("mode").asText()).as("a child runs in its request's mode").isEqualTo("async");
            assertThat(child.get("state").asText()).as("a child that has neither run nor waited").isEqualTo("queued");
            assertThat(child.get("waiting_on").asText()).isEqualTo("a thread to start on");
            assertThat(child.get("thread").isNull()).isTrue();
            assertThat(child.has("request")).isFalse();
        }

        sleeper1.awaiting(Wait.timer(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)));
        JsonNode waiting = task(list(view, live()), sleeper1.id());
        assertThat(waiting.get("state").asText()).isEqualTo("waiting");
        long dueFirst = dueIn(waiting);
        assertThat(dueFirst).isBetween(1L, 5_000L);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dueIn(task(list(view, live()), sleeper1.id()))).as("counted down as it is read").isLessThan(dueFirst));

        try (Task.Scope running = sleeper2.enter()) { // its one callback: on this thread, now
            // Read on this thread, which is running the callback (on the view's thread, this one would be parked in the
            // join: a thread that is not an event loop and is parked shows its task waiting).
            JsonNode run = task(TaskFixtures.JSON.valueToTree(view.page(live())), sleeper2.id());
            assertThat(run.get("state").asText()).isEqualTo("running");
            assertThat(run.get("waiting_on").isNull()).isTrue();
            assertThat(run.get("thread").get("name").asText()).isEqualTo(Thread.currentThread().getName());
            sleeper2.finish(Outcome.ok());
        }
        JsonNode done = task(list(view, live()), sleeper2.id());
        assertThat(done.get("state").asText()).isEqualTo("done");
        assertThat(done.get("waiting_on").isNull()).isTrue();
        assertThat(done.get("outcome").get("summary").asText()).isEqualTo("ok");
        assertThat(task(list(view, live()), root.id()).get("waiting_on").asText()).isEqualTo("its children (1 not done)");

        sleeper1.finish(Outcome.ok());
        root.finish(Outcome.answered(200));

        JsonNode livePage = list(view, live());
        assertThat(livePage.get("total").asInt()).isZero();
        assertThat(livePage.get("tasks")).isEmpty();
        JsonNode ring = list(view, finished());
        assertThat(ring.get("view").asText()).isEqualTo("finished");
        assertThat(ids(ring)).containsExactly(root.id());
        JsonNode finishedRoot = task(ring, root.id());
        assertThat(finishedRoot.get("state").asText()).isEqualTo("done");
        assertThat(finishedRoot.get("outcome").get("status").asInt()).isEqualTo(200);
        assertThat(finishedRoot.get("outcome").get("summary").asText()).isEqualTo("status 200");
        long took = finishedRoot.get("age_ms").asLong();
        assertThat(took).as("a done task's age is how long it took").isGreaterThanOrEqualTo(1_500);
        assertThat(finishedRoot.get("children")).as("a finished request keeps its tree")
                .allSatisfy(c -> assertThat(c.get("state").asText()).isEqualTo("done"));
        await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(task(list(view, finished()), root.id()).get("age_ms").asLong()).as("its duration, not a growing age").isEqualTo(took));
        assertThat(ring.get("lints").get("orphan").asLong()).isZero();
    }

    @Test
    void whereAnswersForALiveTaskAndAFinishedRootAndNothingElse() {
        Task root = request(registry, "/sleep?ms=1000", 0);
        CompletableFuture<Void> timer = new CompletableFuture<>();
        root.awaiting(Wait.timer(System.nanoTime() + TimeUnit.SECONDS.toNanos(1)));
        root.watch(timer);
        timer.thenRun(() -> { });

        JsonNode liveWhere = where(view, root.id());
        assertThat(liveWhere.get("task").get("id").asLong()).isEqualTo(root.id());
        assertThat(liveWhere.get("where").get("thread_state").isNull()).as("an async task between callbacks holds no thread").isTrue();
        assertThat(liveWhere.get("where").get("stack")).isEmpty();
        assertThat(liveWhere.get("where").get("future").get("done").asBoolean()).isFalse();
        assertThat(liveWhere.get("where").get("future").get("dependent_stages").asInt()).isEqualTo(1);

        timer.complete(null);
        root.finish(Outcome.answered(200));
        JsonNode finishedWhere = where(view, root.id());
        assertThat(finishedWhere.get("task").get("state").asText()).isEqualTo("done");
        assertThat(finishedWhere.get("where").get("future").get("done").asBoolean()).isTrue();

        assertThat(BoundedJoin.join(view.where(Long.MAX_VALUE))).isEmpty();
    }

    private static long dueIn(JsonNode task) {
        Matcher m = DUE_IN.matcher(task.get("waiting_on").asText());
        assertThat(m.matches()).as("waiting on a timer: %s", task.get("waiting_on")).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void whereFindsEveryTaskTheViewShowsAFinishedChildIncluded() {
        Task root = request(registry, "/gather?ms=10,5000", 0);
        Task quick = root.child(TaskKind.SLEEPER, "task-1");
        Task slow = root.child(TaskKind.SLEEPER, "task-2");
        quick.finish(Outcome.ok());

        // task-1 is done but still under its live request: where still answers for it.
        assertThat(where(view, quick.id()).get("task").get("state").asText()).isEqualTo("done");

        slow.finish(Outcome.ok());
        root.finish(Outcome.answered(200));
        // Both children now live only in the ring, under their request.
        assertThat(where(view, slow.id()).get("task").get("name").asText()).isEqualTo("task-2");
        assertThat(where(view, root.id()).get("task").get("children")).hasSize(2);
    }
}
