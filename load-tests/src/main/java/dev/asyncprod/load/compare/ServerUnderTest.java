package dev.asyncprod.load.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server being measured: started here from {@code server.jar} (and stopped by its own PID), or
 * one already running at a URL. Its thread count and resident memory come from {@code /proc},
 * found through the pid that {@code /info} reports.
 */
public final class ServerUnderTest implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String mode;
    private final URI base;
    private final Process process; // null when attached to a running server
    private final JsonNode info;

    private ServerUnderTest(String mode, URI base, Process process, JsonNode info) {
        this.mode = mode;
        this.base = base;
        this.process = process;
        this.info = info;
    }

    /**
     * Starts {@code jar} on a free loopback port with the given flags ({@code --mode ...}, ...),
     * its output going to {@code logFile}, and waits until {@code /info} answers.
     */
    public static ServerUnderTest start(String java, Path jar, Path logFile, List<String> flags)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port)));
        if (flags.stream().noneMatch(f -> f.startsWith("--data-dir"))) {
            // Every server process owns its email job store; a fresh one per run keeps runs independent.
            command.addAll(List.of("--data-dir", Files.createTempDirectory("asyncprod-compare-").toString()));
        }
        command.addAll(flags);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        String started = String.join(" ", flags);
        URI base = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("server (" + started + ") exited at start; see " + logFile);
            }
            try {
                JsonNode info = fetchInfo(base);
                return new ServerUnderTest(info.path("mode").asText(), base, p, info);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IOException("server (" + started + ") did not answer /info within 60 s; see " + logFile);
    }

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

    public long pid() {
        return info.path("pid").asLong(process != null ? process.pid() : -1);
    }

    /**
     * {@code [threads, rssKb]} now: from /proc for a server this process started; for an attached
     * one, the thread count its {@code /info} reports and no RSS, since its pid may belong to
     * another machine or PID namespace (a container's pid 1).
     */
    long[] sample() {
        if (process == null) {
            try {
                return new long[] {fetchInfo(base).path("jvm_threads").asLong(0), 0};
            } catch (IOException e) {
                return new long[] {0, 0};
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new long[] {0, 0};
            }
        }
        long threads = 0;
        long rssKb = 0;
        try {
            List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"));
            for (String line : status) {
                if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.substring(8).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rssKb = Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // not on this machine, or gone
        }
        return new long[] {threads, rssKb};
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return; // not ours to stop
        }
        process.destroy(); // SIGTERM to this server's own PID
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
