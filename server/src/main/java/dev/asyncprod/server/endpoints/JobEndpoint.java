package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.email.EmailService;
import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/** {@code GET /jobs/{id}}: an email job's status, attempts, timestamps and last error; 404 if unknown. */
public final class JobEndpoint implements Endpoint<String> {

    public static final String PREFIX = "/jobs/";
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final EmailService email;

    public JobEndpoint(EmailService email) {
        this.email = email;
    }

    @Override
    public String parse(Request request) {
        String id = request.path().substring(PREFIX.length());
        if (!JOB_ID.matcher(id).matches()) {
            throw unknown(id); // not an id this server ever gives out: no need to ask the store
        }
        return id;
    }

    @Override
    public CompletableFuture<Response> handleAsync(String id, AsyncContext ctx) {
        return email.find(id).handle((job, failure) -> {
            if (failure != null) {
                throw DependencyFailures.toHttp(failure);
            }
            return answer(id, job);
        });
    }

    @Override
    public Response handleBlocking(String id, BlockingContext ctx) {
        try {
            return answer(id, email.find(id).join());
        } catch (CompletionException e) {
            throw DependencyFailures.toHttp(e);
        }
    }

    private static Response answer(String id, Optional<Job> job) {
        return Response.json(JobJson.of(job.orElseThrow(() -> unknown(id))));
    }

    private static HttpError unknown(String id) {
        return new HttpError(HttpResponseStatus.NOT_FOUND, "unknown_job",
                "no job '" + (id.length() > 64 ? id.substring(0, 64) + "..." : id) + "'", Map.of());
    }
}
