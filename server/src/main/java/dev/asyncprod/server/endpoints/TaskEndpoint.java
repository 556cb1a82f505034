package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.tasks.TaskView;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /debug/tasks/{id}} on the admin listener: one task, live or in the finished ring, with
 * where it is now: its thread's stack (blocking and virtual, or an event loop while it runs the
 * task's callback), a virtual thread's container, and an async task's future and its waiting stages.
 */
public final class TaskEndpoint implements Endpoint<Long> {

    public static final String PREFIX = "/debug/tasks/";

    private final TaskView view;

    public TaskEndpoint(TaskView view) {
        this.view = view;
    }

    @Override
    public Long parse(Request request) {
        String id = request.path().substring(PREFIX.length());
        if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(Character::isDigit)) {
            throw HttpError.badParameter("a task id is a number, as /debug/tasks lists it, got '"
                    + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "'");
        }
        return Long.parseLong(id);
    }

    @Override
    public CompletableFuture<Response> handleAsync(Long id, AsyncContext ctx) {
        return view.where(id, Response::json).thenApply(found -> found.orElseThrow(() -> new HttpError(
                HttpResponseStatus.NOT_FOUND, "unknown_task", "no task " + id + " is in flight or shown in the finished ring", Map.of())))
                .exceptionally(TasksEndpoint::busy);
    }

    @Override
    public Response handleBlocking(Long id, BlockingContext ctx) throws Exception {
        return handleAsync(id, null).get();
    }
}
