package dev.asyncprod.server.tasks;

import static dev.asyncprod.server.tasks.TaskFixtures.finished;
import static dev.asyncprod.server.tasks.TaskFixtures.ids;
import static dev.asyncprod.server.tasks.TaskFixtures.list;
import static dev.asyncprod.server.tasks.TaskFixtures.live;
import static dev.asyncprod.server.tasks.TaskFixtures.request;
import static dev.asyncprod.server.tasks.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.base.testing.BoundedJoin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the view keeps is bounded whatever the rate: the finished ring, and a live parent's finished children. */
class BoundsTest {

    @RegisterExtension
    final TasksUnderTest tasks = new TasksUnderTest(5, Duration.ofSeconds(5), Duration.ofMinutes(5));
    private final TaskRegistry registry = tasks.registry;
    private final TaskView view = tasks.view;

    @Test
    void theFinishedRingKeepsTheNewestNewestFirst() {
        List<Long> finishedIds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Task root = request(registry, "/hello?n=" + i, 0);
            root.finish(Outcome.answered(200));
            finishedIds.add(root.id());
        }

        JsonNode ring = list(view, finished());
        assertThat(ring.get("finished_capacity").asInt()).isEqualTo(5);
        assertThat(ring.get("total").asInt()).isEqualTo(5);
        assertThat(ids(ring)).containsExactly(finishedIds.get(11), finishedIds.get(10), finishedIds.get(9), finishedIds.get(8),
                finishedIds.get(7));
        assertThat(list(view, live()).get("total").asInt()).isZero();

        JsonNode two = list(view, new TaskQuery(0, null, null, null, 2, true, 0));
        assertThat(ids(two)).containsExactly(finishedIds.get(11), finishedIds.get(10));
        assertThat(two.get("matched").asInt()).isEqualTo(5);
        assertThat(two.get("left_out").asInt()).isEqualTo(3);
    }

    @Test
    void aLiveParentKeepsAtMostKeptChildrenFinishedAndCountsTheRest() {
        Task root = request(registry, "/fanout?calls=70", 0);
        List<Task> children = new ArrayList<>();
        for (int i = 1; i <= Children.KEPT + 6; i++) {
            children.add(root.child(TaskKind.HTTP_CALL, "call " + i));
        }
        children.forEach(c -> c.finish(Outcome.answered(200)));
        Task stillRunning = root.child(TaskKind.HTTP_CALL, "call " + (Children.KEPT + 7));

        JsonNode r = task(list(view, live()), root.id());
        assertThat(r.get("children")).hasSize(Children.KEPT + 1);
        assertThat(r.get("children_left_out").asInt()).isEqualTo(6);
        assertThat(r.get("children")).filteredOn(c -> c.get("state").asText().equals("done")).hasSize(Children.KEPT);
        assertThat(r.get("children").get(Children.KEPT).get("id").asLong()).as("a live child is always shown")
                .isEqualTo(stillRunning.id());
        assertThat(BoundedJoin.join(view.tree(live()))).contains("└─ (6 more finished children not kept)");
    }

    @Test
    void aRingHoldsAtLeastOne() {
        assertThatThrownBy(() -> new FinishedRing(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
