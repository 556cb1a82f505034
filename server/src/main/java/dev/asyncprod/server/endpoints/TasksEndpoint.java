package dev.asyncprod.server.endpoints;

import dev.asyncprod.base.Causes;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.QueryParams;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.tasks.TaskKind;
import dev.asyncprod.server.tasks.TaskQuery;
import dev.asyncprod.server.tasks.TaskState;
import dev.asyncprod.server.tasks.TaskView;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code GET /debug/tasks} on the admin listener: every request in flight and what it spawned, as
 * JSON ({@code tasks.schema.json}) or, with {@code ?format=tree}, as {@code pstree} prints. Filters:
 * {@code min_age} (ms), {@code path} (a prefix), {@code state}, {@code kind}, {@code limit},
 * {@code finished=true} (the ring of finished requests). The registry is read on the view's own
 * thread; this loop only writes the answer.
 */
public final class TasksEndpoint implements Endpoint<TasksEndpoint.Params> {

    private static final Set<String> KNOWN = Set.of("min_age", "path", "state", "kind", "limit", "finished", "format");

    public record Params(TaskQuery query, boolean tree) {
    }

    private final TaskView view;

    public TasksEndpoint(TaskView view) {
        this.view = view;
    }

    @Override
    public Params parse(Request request) {
        QueryParams q = request.query();
        for (String name : q.names()) {
            if (!KNOWN.contains(name)) {
                throw HttpError.badParameter("unknown parameter '" + name + "'; filters are " + String.join(", ",
                        KNOWN.stream().sorted().toList()));
            }
        }
        String format = q.optional("format");
        if (format != null && !format.equals("json") && !format.equals("tree")) {
            throw HttpError.badParameter("'format' must be json or tree, got '" + format + "'");
        }
        String state = q.optional("state");
        TaskState s = state == null ? null : TaskState.byLabel(state);
        if (state != null && s == null) {
            throw HttpError.badParameter("'state' must be one of " + labels(Arrays.stream(TaskState.values()).map(TaskState::label)) + ", got '" + state + "'");
        }
        String kind = q.optional("kind");
        TaskKind k = kind == null ? null : TaskKind.byLabel(kind);
        if (kind != null && k == null) {
            throw HttpError.badParameter("'kind' must be one of " + labels(Arrays.stream(TaskKind.values()).map(TaskKind::label)) + ", got '" + kind + "'");
        }
        String path = q.optional("path");
        if (path != null && !path.startsWith("/")) {
            throw HttpError.badParameter("'path' must start with /, got '" + path + "'");
        }
        TaskQuery query = new TaskQuery(q.optionalLong("min_age", 0, 0, Long.MAX_VALUE / 1_000_000), path, s, k,
                (int) q.optionalLong("limit", TaskQuery.DEFAULT_LIMIT, 1, TaskQuery.MAX_LIMIT), q.optionalBoolean("finished"),
                request.task().id());
        return new Params(query, "tree".equals(format));
    }

    private static String labels(Stream<String> labels) {
        return labels.collect(Collectors.joining(", "));
    }

    @Override
    public CompletableFuture<Response> handleAsync(Params params, AsyncContext ctx) {
        CompletableFuture<Response> answer = params.tree()
                ? view.tree(params.query(), Response::text)
                : view.list(params.query(), Response::json); // serialised on the view's thread, not this loop
        return answer.exceptionally(TasksEndpoint::busy);
    }

    /** The view thread's queue is full: a burst of readers, not a reason to queue without bound. */
    static Response busy(Throwable failure) {
        if (Causes.unwrap(failure) instanceof RejectedExecutionException) {
            throw HttpError.overloaded("the task view is busy with other readers; retry", 1);
        }
        throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
    }

    @Override
    public Response handleBlocking(Params params, BlockingContext ctx) throws Exception {
        return handleAsync(params, null).get(); // control routes run async; kept for the contract
    }
}
