package dev.asyncprod.server.tasks;

import static dev.asyncprod.server.tasks.TaskFixtures.ids;
import static dev.asyncprod.server.tasks.TaskFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The view's filters: a root matches a state or a kind when it or any task under it has it; the
 * page is oldest first, at most {@code limit}, and says how many matched and were left out; the
 * request reading the view is not in it.
 */
class TaskQueryTest {

    @RegisterExtension
    final TasksUnderTest tasks = new TasksUnderTest(TaskRegistry.DEFAULT_FINISHED, Duration.ofSeconds(5), Duration.ofMinutes(5));
    private final TaskRegistry registry = tasks.registry;
    private final TaskView view = tasks.view;
    private Task sleep;
    private Task gather;
    private Task gatherRunning;
    private Task db;
    private Task delivery;
    private Task hello;

    @BeforeEach
    void someWorkInFlight() {
        sleep = request(registry, "/sleep?ms=60000", 30_000);
        sleep.awaiting(Wait.timer(System.nanoTime() + TimeUnit.SECONDS.toNanos(50)));
        gather = request(registry, "/gather?ms=10,5000", 20_000);
        gather.awaiting(null);
        gather.child(TaskKind.SLEEPER, "task-1").finish(Outcome.ok());
        gatherRunning = gather.child(TaskKind.SLEEPER, "task-2");
        db = request(registry, "/db?queries=1", 10_000);
        db.awaiting(null);
        db.child(TaskKind.QUERY, "SELECT id, randomnumber FROM world WHERE id = $1"); // queued for a connection
        delivery = registry.register(Task.background(TaskKind.DELIVERY, "job 42", "attempt 1, accepted by request r-9"));
        hello = request(registry, "/hello", 0);
        hello.awaiting(Wait.on("its answer"));
    }

    @Test
    void everythingOldestFirst() {
        JsonNode page = page(query(0, null, null, null, 100, 0));
        assertThat(ids(page)).containsExactly(sleep.id(), gather.id(), db.id(), delivery.id(), hello.id());
        assertThat(page.get("total").asInt()).isEqualTo(5);
        assertThat(page.get("matched").asInt()).isEqualTo(5);
        assertThat(page.get("shown").asInt()).isEqualTo(5);
        assertThat(page.get("left_out").asInt()).isZero();
    }

    @Test
    void minAge() {
        JsonNode page = page(query(15_000, null, null, null, 100, 0));
        assertThat(ids(page)).containsExactly(sleep.id(), gather.id());
        assertThat(page.get("total").asInt()).as("before filters").isEqualTo(5);
        assertThat(page.get("matched").asInt()).isEqualTo(2);
    }

    @Test
    void pathPrefixOfRequestsOnly() {
        assertThat(ids(page(query(0, "/sleep", null, null, 100, 0)))).containsExactly(sleep.id());
        assertThat(ids(page(query(0, "/g", null, null, 100, 0)))).containsExactly(gather.id());
        assertThat(ids(page(query(0, "/", null, null, 100, 0)))).as("a delivery has no path")
                .containsExactly(sleep.id(), gather.id(), db.id(), hello.id());
        assertThat(ids(page(query(0, "/sleep?ms", null, null, 100, 0)))).as("the path, not the query string").isEmpty();
    }

    @Test
    void stateOfTheRootOrAnyTaskUnderIt() {
        assertThat(ids(page(query(0, null, TaskState.DONE, null, 100, 0)))).containsExactly(gather.id());
        assertThat(ids(page(query(0, null, TaskState.QUEUED, null, 100, 0)))).as("gather's task-2, db's query, the delivery: none started")
                .containsExactly(gather.id(), db.id(), delivery.id());
        try (Task.Scope running = gatherRunning.enter()) {
            // read on this thread: the running callback's own (on the view's thread, this one would be parked in the join)
            assertThat(ids(TaskFixtures.JSON.valueToTree(view.page(query(0, null, TaskState.RUNNING, null, 100, 0)))))
                    .containsExactly(gather.id());
        }
        assertThat(ids(page(query(0, null, TaskState.RUNNING, null, 100, 0)))).isEmpty();
    }

    @Test
    void kindOfTheRootOrAnyTaskUnderIt() {
        assertThat(ids(page(query(0, null, null, TaskKind.QUERY, 100, 0)))).containsExactly(db.id());
        assertThat(ids(page(query(0, null, null, TaskKind.SLEEPER, 100, 0)))).containsExactly(gather.id());
        assertThat(ids(page(query(0, null, null, TaskKind.DELIVERY, 100, 0)))).containsExactly(delivery.id());
        assertThat(ids(page(query(0, null, null, TaskKind.REQUEST, 100, 0))))
                .containsExactly(sleep.id(), gather.id(), db.id(), hello.id());
        assertThat(ids(page(query(0, null, null, TaskKind.COMMIT, 100, 0)))).isEmpty();
    }

    @Test
    void limitShowsTheOldestAndCountsTheRest() {
        JsonNode page = page(query(0, null, null, null, 2, 0));
        assertThat(ids(page)).containsExactly(sleep.id(), gather.id());
        assertThat(page.get("matched").asInt()).isEqualTo(5);
        assertThat(page.get("shown").asInt()).isEqualTo(2);
        assertThat(page.get("left_out").asInt()).isEqualTo(3);

        JsonNode combined = page(query(5_000, null, null, TaskKind.REQUEST, 1, 0));
        assertThat(ids(combined)).containsExactly(sleep.id());
        assertThat(combined.get("matched").asInt()).isEqualTo(3);
        assertThat(combined.get("left_out").asInt()).isEqualTo(2);
    }

    @Test
    void theReaderIsNotInItsOwnView() {
        JsonNode page = page(query(0, null, null, null, 100, hello.id()));
        assertThat(ids(page)).containsExactly(sleep.id(), gather.id(), db.id(), delivery.id());
        assertThat(page.get("total").asInt()).isEqualTo(4);
        assertThat(page.get("matched").asInt()).isEqualTo(4);
    }

    @Test
    void limitsAndAgesAreChecked() {
        assertThatThrownBy(() -> query(0, null, null, null, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> query(0, null, null, null, TaskQuery.MAX_LIMIT + 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> query(-1, null, null, null, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min_age");
        assertThat(TaskQuery.all().limit()).isEqualTo(TaskQuery.DEFAULT_LIMIT);
    }

    private JsonNode page(TaskQuery query) {
        return TaskFixtures.list(view, query);
    }

    private static TaskQuery query(long minAge, String path, TaskState state, TaskKind kind, int limit, long reader) {
        return new TaskQuery(minAge, path, state, kind, limit, false, reader);
    }
}
