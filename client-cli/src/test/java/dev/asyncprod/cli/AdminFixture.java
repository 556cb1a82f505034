package dev.asyncprod.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the server's admin listener: the JDK's HTTP server on a free port of 127.0.0.1,
 * answering canned bodies by path, checking a bearer token as the server does, and remembering
 * every request it got.
 */
final class AdminFixture implements AutoCloseable {

    record Answer(int status, String contentType, String body) {
    }

    record Received(String method, String path, String rawQuery, String authorization) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile String token;

    AdminFixture() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers GET {@code path} (without its query) with this status and body. */
    AdminFixture answer(String path, int status, String contentType, String body) {
        answers.put(path, new Answer(status, contentType, body));
        return this;
    }

    AdminFixture json(String path, String body) {
        return answer(path, 200, "application/json", body);
    }

    /** From now on, a request without {@code Authorization: Bearer token} is a 401 problem. */
    AdminFixture requireToken(String token) {
        this.token = token;
        return this;
    }

    List<Received> received() {
        return received;
    }

    static String resource(String name) {
        try (InputStream in = AdminFixture.class.getResourceAsStream("/tasks/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String problem(int status, String title, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), auth));
        Answer answer;
        if (token != null && !("Bearer " + token).equals(auth)) {
            answer = new Answer(401, "application/problem+json", problem(401, "Unauthorized",
                    auth == null ? "this listener wants a bearer token" : "the bearer token is not this listener's"));
        } else {
            answer = answers.getOrDefault(exchange.getRequestURI().getRawPath(),
                    new Answer(404, "application/problem+json", problem(404, "Not Found", "no route")));
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
