package dev.asyncprod.server.tasks;

import static dev.asyncprod.server.tasks.TaskFixtures.facts;
import static dev.asyncprod.server.tasks.TaskFixtures.finished;
import static dev.asyncprod.server.tasks.TaskFixtures.list;
import static dev.asyncprod.server.tasks.TaskFixtures.live;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.base.testing.BoundedJoin;
import org.junit.jupiter.api.Test;

/** {@code -Dasyncprod.tasks=off}: nothing is registered, every call on a task does nothing, the view is empty. */
class RegistryOffTest {

    @Test
    void registersNothingAndShowsNothing() throws Exception {
        try (TaskRegistry off = TaskRegistry.off(); TaskView view = new TaskView(off, "async")) {
            assertThat(off.isOn()).isFalse();
            Task root = Task.request(facts("GET", "/gather?ms=10"), System.nanoTime());

            assertThat(off.register(root)).isSameAs(root);
            assertThat(root.isTracked()).isFalse();
            assertThat(root.child(TaskKind.SLEEPER, "task-1")).isSameAs(Task.NONE);
            assertThat(root.enter()).isSameAs(Task.Scope.NOTHING);
            assertThat(root.block(Wait.on("anything"))).isSameAs(Task.Waiting.NOTHING);
            assertThat(root.call(() -> Task.current())).as("an untracked body runs as no task").isSameAs(Task.NONE);
            root.awaiting(Wait.on("anything"));
            root.finish(Outcome.answered(200));

            JsonNode livePage = list(view, live());
            assertThat(livePage.get("total").asInt()).isZero();
            assertThat(livePage.get("tasks")).isEmpty();
            JsonNode ring = list(view, finished());
            assertThat(ring.get("total").asInt()).isZero();
            assertThat(ring.get("tasks")).isEmpty();
            assertThat(BoundedJoin.join(view.where(root.id()))).isEmpty();
            assertThat(Task.NONE.child(TaskKind.QUERY, "SELECT 1")).isSameAs(Task.NONE);
            assertThat(Task.NONE.isTracked()).isFalse();
        }
    }
}
