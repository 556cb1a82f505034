package dev.asyncprod.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Test-side HTTP: the JDK client for ordinary requests, raw sockets for what a client library would not send. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Http() {
    }

    public static HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build());
    }

    /** {@code POST} a JSON body, with extra headers given as name, value, name, value... */
    public static HttpResponse<String> postJson(URI uri, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    /**
     * Sends without holding a thread while it waits: the client's own. Never a blocking
     * {@link #send} inside {@code CompletableFuture.supplyAsync}: on two cores the common pool has one
     * thread, and a held request there stalls every other stage that needs it, the client's own included.
     */
    public static CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code raw} to a fresh connection and returns everything the server sends until it
     * closes the connection or stays silent for {@code quiet}.
     */
    public static String raw(int port, String raw, Duration quiet) {
        return raw(port, raw.getBytes(StandardCharsets.ISO_8859_1), quiet);
    }

    public static String raw(int port, byte[] raw, Duration quiet) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) quiet.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(raw);
            out.flush();
            return readUntilCloseOrQuiet(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readUntilCloseOrQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException quiet) {
            // the server kept the connection open and said nothing more
        } catch (IOException reset) {
            // a reset after the answer still leaves what was received
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
