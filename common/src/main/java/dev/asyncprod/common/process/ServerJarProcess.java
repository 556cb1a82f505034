package dev.asyncprod.common.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code server/target/server.jar} as a child process, started the way a user starts it: on
 * loopback, on a free port unless one is given, with a job-store folder of its own unless one is
 * given. It is ready when its banner says where it listens. Its output is kept in memory (the
 * latest {@link #KEPT_LINES} lines), or written by the kernel straight to a file, so that a busy
 * server's access log costs the process that started it nothing.
 */
public final class ServerJarProcess implements AutoCloseable {

    /** Output lines kept in memory: enough for a test to read a failure, bounded for a long benchmark. */
    static final int KEPT_LINES = 10_000;
    /** The banner's line in text mode, and its field in JSON mode. */
    private static final Pattern LISTENING = Pattern.compile("^listening:\\s+\\S+:(\\d+)$|\"listening\":\"[^\"]*:(\\d+)\"");

    private final Process process;
    private final int port;
    private final ArrayDeque<String> output; // null when the output goes to a file
    private final Path logFile;
    private final Thread watcher;

    private ServerJarProcess(Process process, int port, ArrayDeque<String> output, Path logFile, Thread watcher) {
        this.process = process;
        this.port = port;
        this.output = output;
        this.logFile = logFile;
        this.watcher = watcher;
    }

    /** The JVM running this code: a child started with it runs on the same Java. */
    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts {@code jar} with {@code flags} and waits up to {@code startTimeout} for its banner.
     *
     * @param logFile where everything the server prints goes, or null to keep it in memory
     */
    public static ServerJarProcess start(String java, Path jar, List<String> flags, Path logFile, Duration startTimeout)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        if (flags.stream().noneMatch(f -> f.startsWith("--host"))) {
            command.add("--host=127.0.0.1");
        }
        if (flags.stream().noneMatch(f -> f.startsWith("--port"))) {
            command.add("--port=0");
        }
        if (flags.stream().noneMatch(f -> f.startsWith("--admin-port"))) {
            command.add("--admin-port=0"); // its default port is one per host: replicas and parallel tests would collide
        }
        if (flags.stream().noneMatch(f -> f.startsWith("--data-dir"))) {
            // Every server process owns its data directory (its job store and lock).
            command.add("--data-dir=" + Files.createTempDirectory("asyncprod-server-"));
        }
        command.addAll(flags);
        return startCommand(command, logFile, startTimeout);
    }

    /**
     * Starts {@code command} as it is (any JVM program whose banner has a {@code listening:} line,
     * such as the load tests' reference server) and waits up to {@code startTimeout} for that line.
     */
    public static ServerJarProcess startCommand(List<String> command, Path logFile, Duration startTimeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (logFile != null) {
            builder.redirectOutput(logFile.toFile());
        }
        Process process = builder.start();
        ArrayDeque<String> lines = logFile == null ? new ArrayDeque<>() : null;
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread watcher = new Thread(logFile == null ? () -> pump(process, lines, port) : () -> watch(process, logFile, port),
                "server-output-" + process.pid());
        watcher.setDaemon(true);
        watcher.start();
        try {
            return new ServerJarProcess(process, port.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS), lines, logFile,
                    watcher);
        } catch (Exception e) {
            process.destroyForcibly();
            String printed = logFile == null ? tail(lines) : "see " + logFile;
            throw new IOException(String.join(" ", command.subList(1, command.size())) + " did not start: " + printed, e);
        }
    }

    private static void pump(Process process, ArrayDeque<String> lines, CompletableFuture<Integer> port) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.addLast(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                }
                listening(line).ifPresent(port::complete);
            }
        } catch (IOException ended) {
            // the process ended
        } finally {
            port.completeExceptionally(new IllegalStateException("exited with " + exitCodeOf(process) + " before listening"));
        }
    }

    /** Reads the file as the server writes it, until the banner says where it listens. */
    private static void watch(Process process, Path logFile, CompletableFuture<Integer> port) {
        try (BufferedReader reader = Files.newBufferedReader(logFile, StandardCharsets.UTF_8)) {
            while (!port.isDone()) {
                String line = reader.readLine();
                if (line != null) {
                    listening(line).ifPresent(port::complete);
                } else if (!process.isAlive()) {
                    port.completeExceptionally(new IllegalStateException("exited with " + exitCodeOf(process) + " before listening"));
                } else {
                    Thread.sleep(20);
                }
            }
        } catch (IOException | InterruptedException e) {
            port.completeExceptionally(e);
        }
    }

    private static Optional<Integer> listening(String line) {
        Matcher m = LISTENING.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2)));
    }

    private static String exitCodeOf(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "nothing yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static String tail(ArrayDeque<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** The latest lines the server printed, oldest first (all of them, when they went to a file). */
    public List<String> output() throws IOException {
        if (output == null) {
            return Files.readAllLines(logFile, StandardCharsets.UTF_8);
        }
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    public ProcStatus status() {
        return ProcStatus.of(pid());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal ({@code TERM}, {@code INT}, {@code KILL}, {@code STOP}, ...) to the server's own PID. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + pid() + " failed");
        }
    }

    /** The exit code once the process has ended within {@code timeout}; else {@link IllegalStateException}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("server still running after " + timeout);
        }
        return process.exitValue();
    }

    /**
     * SIGTERM (the graceful drain), then SIGKILL if it has not exited within 30 s; once it has, what
     * it printed last is in {@link #output()}.
     */
    @Override
    public void close() throws InterruptedException {
        // The handle's SIGTERM, not Process.destroy(): that one also closes our end of the server's
        // output, and what the server prints while it drains would be lost.
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (output != null) {
            watcher.join(TimeUnit.SECONDS.toMillis(5)); // the pump reads to the end of the output, then ends
        }
    }
}
