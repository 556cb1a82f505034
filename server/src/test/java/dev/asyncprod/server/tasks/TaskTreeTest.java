package dev.asyncprod.server.tasks;

import static dev.asyncprod.server.tasks.TaskFixtures.finished;
import static dev.asyncprod.server.tasks.TaskFixtures.live;
import static dev.asyncprod.server.tasks.TaskFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.base.testing.BoundedJoin;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ?format=tree}: a header, then one line per task, children under their parent as {@code pstree} draws them. */
class TaskTreeTest {

    @RegisterExtension
    final TasksUnderTest tasks = new TasksUnderTest(TaskRegistry.DEFAULT_FINISHED, Duration.ofSeconds(5), Duration.ofMinutes(5));
    private final TaskRegistry registry = tasks.registry;
    private final TaskView view = tasks.view;

    @Test
    void linesIndentedUnderTheirParents() {
        Task root = request(registry, "/fanout?calls=2&ms=5000", 1_500);
        root.awaiting(null);
        Task call = root.child(TaskKind.HTTP_CALL, "call 1");
        call.awaiting(Wait.on("GET http://127.0.0.1:9/sleep?ms=5000"));
        Task query = call.child(TaskKind.QUERY, "SELECT 1");
        Task sleeper = root.child(TaskKind.SLEEPER, "task-2");
        sleeper.finish(Outcome.ok());
        Task delivery = registry.register(Task.background(TaskKind.DELIVERY, "job 42", "attempt 2, accepted by request r-9"));

        List<String> lines = BoundedJoin.join(view.tree(live())).lines().toList();

        assertThat(lines.get(0)).isEqualTo("mode async, live view: 2 tasks, 2 matched, 2 shown, 0 left out");
        assertThat(lines).hasSize(6);
        assertThat(lines.get(1)).startsWith("#" + root.id() + " request GET /fanout?calls=2&ms=5000  waiting: its children (1 not done)  age ")
                .matches(".*  age \\d,\\d{3} ms  busy \\d+\\.\\d ms  .*")
                .endsWith("  [HTTP/1.1, request " + root.request.id() + "]");
        assertThat(lines.get(2)).startsWith("├─ #" + call.id() + " http_call call 1  waiting: GET http://127.0.0.1:9/sleep?ms=5000  age ");
        assertThat(lines.get(3)).startsWith("│  └─ #" + query.id() + " query SELECT 1  queued: a thread to start on  age ");
        assertThat(lines.get(4)).startsWith("└─ #" + sleeper.id() + " sleeper task-2  done: ok  age ");
        assertThat(lines.get(5)).startsWith("#" + delivery.id() + " delivery job 42  queued: a thread to start on  age ")
                .endsWith("  [attempt 2, accepted by request r-9]");

        root.finish(Outcome.answered(504));
        List<String> ring = BoundedJoin.join(view.tree(finished())).lines().toList();
        assertThat(ring.get(0)).isEqualTo("mode async, finished view: 1 tasks, 1 matched, 1 shown, 0 left out");
        assertThat(ring.get(1)).contains("request GET /fanout?calls=2&ms=5000  done: status 504  age ");
        assertThat(ring.get(2)).as("a lint ends its line").contains("http_call call 1  waiting: GET").endsWith("  !orphan");
    }
}
