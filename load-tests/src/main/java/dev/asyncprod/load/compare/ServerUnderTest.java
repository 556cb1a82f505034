package dev.asyncprod.load.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asyncprod.common.process.ProcStatus;
import dev.asyncprod.common.process.ServerJarProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * A server being measured: started here from {@code server.jar} (and stopped by its own PID), the
 * bare Netty reference started here, or one already running at a URL. Its thread count and resident memory come from {@code /proc} for
 * a server started here; an attached one reports its threads through {@code /info}.
 */
public final class ServerUnderTest implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String mode;
    private final URI base;
    private final ServerJarProcess process; // null when attached to a running server
    private final JsonNode info;

    private ServerUnderTest(String mode, URI base, ServerJarProcess process, JsonNode info) {
        this.mode = mode;
        this.base = base;
        this.process = process;
        this.info = info;
    }

    /** Starts {@code jar} on a free loopback port with the given flags, its output copied to {@code logFile}. */
    public static ServerUnderTest start(String java, Path jar, Path logFile, List<String> flags)
            throws IOException, InterruptedException {
        ServerJarProcess p = ServerJarProcess.start(java, jar, flags, logFile, Duration.ofSeconds(60));
        try {
            URI base = p.uri("");
            JsonNode info = fetchInfo(base);
            return new ServerUnderTest(info.path("mode").asText(), base, p, info);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw new IOException("server (" + String.join(" ", flags) + ") did not answer /info; see " + logFile, e);
        }
    }

    /**
     * The bare Netty reference ({@code load-tests.jar reference-server}) on a free loopback port. It
     * has no {@code /info}: what it is, is known here.
     */
    public static ServerUnderTest reference(String java, Path loadTestsJar, Path logFile, String db) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", loadTestsJar.toString(), "reference-server",
                "--host=127.0.0.1", "--port=0"));
        if (db != null) {
            command.add("--db=" + db);
        }
        ServerJarProcess p = ServerJarProcess.startCommand(command, logFile, Duration.ofSeconds(60));
        ObjectNode info = JSON.createObjectNode().put("mode", REFERENCE).put("pid", p.pid());
        return new ServerUnderTest(REFERENCE, p.uri(""), p, info);
    }

    /** The reference's mode name in reports. */
    public static final String REFERENCE = "bare-netty";

    public static ServerUnderTest attach(URI base) throws IOException, InterruptedException {
        JsonNode info = fetchInfo(base);
        return new ServerUnderTest(info.path("mode").asText(), base, null, info);
    }

    private static JsonNode fetchInfo(URI base) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/info")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("/info answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    public String mode() {
        return mode;
    }

    public URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    JsonNode info() {
        return info;
    }

    int blockingThreads() {
        return info.path("blocking_threads").asInt(0);
    }

    /** The database pool's size ({@code db_pool} in {@code /info}); the reference uses the same default. */
    int dbPool() {
        return info.path("db_pool").asInt(10);
    }

    public long pid() {
        return info.path("pid").asLong(process != null ? process.pid() : -1);
    }

    /**
     * The pid whose {@code /proc} is this machine's to read: a server started here. An attached one's
     * {@code /info} pid may be another machine's or another PID namespace's, where the same number is
     * some other process.
     */
    OptionalLong localPid() {
        return process != null ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /**
     * Threads and RSS now: from /proc for a server started here; for an attached one, the thread
     * count its {@code /info} reports and no RSS, since its pid may belong to another machine or
     * PID namespace (a container's pid 1).
     */
    ProcStatus sample() {
        if (process != null) {
            return process.status();
        }
        try {
            return new ProcStatus(fetchInfo(base).path("jvm_threads").path("live").asLong(0), 0);
        } catch (IOException e) {
            return new ProcStatus(0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcStatus(0, 0);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) { // an attached server is not ours to stop
            process.close();
        }
    }
}
