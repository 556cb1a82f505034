package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;

/**
 * {@code GET /}: the routes this server answers, each with a one-line summary and a curl command
 * that works as shown, against the address the caller used.
 */
public final class IndexEndpoint implements Endpoint.Immediate<String> {

    /** A route as the index shows it; {@code curl} is the command with {@code {base}} where the server's URL goes. */
    public record Entry(String method, String path, String summary, String curl) {
    }

    record Index(String service, String mode, List<Entry> routes) {
    }

    private final String mode;
    private final List<Entry> entries;

    public IndexEndpoint(String mode, List<Entry> entries) {
        this.mode = mode;
        this.entries = List.copyOf(entries);
    }

    /** The base URL the caller reached us at, from its Host header. */
    @Override
    public String parse(Request request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        return "http://" + (host == null || host.isBlank() ? "127.0.0.1" : host);
    }

    @Override
    public Response answer(String base) {
        List<Entry> routes = entries.stream()
                .map(e -> new Entry(e.method(), e.path(), e.summary(), e.curl().replace("{base}", base))).toList();
        return Response.json(new Index("asyncprod", mode, routes));
    }
}
