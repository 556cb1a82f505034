package dev.asyncprod.common.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code server/target/server.jar} as a child process, started the way a user starts it: on
 * loopback, on a free port unless one is given, with a job-store folder of its own unless one is
 * given. It is ready when its banner says where it listens. Its output is kept (the latest
 * {@link #KEPT_LINES} lines) and, if asked, copied to a file.
 */
public final class ServerJarProcess implements AutoCloseable {

    /** Output lines kept in memory: enough for a test to read a failure, bounded for a long benchmark. */
    static final int KEPT_LINES = 10_000;
    private static final Pattern LISTENING = Pattern.compile("^listening:\\s+\\S+:(\\d+)$");

    private final Process process;
    private final int port;
    private final ArrayDeque<String> output;

    private ServerJarProcess(Process process, int port, ArrayDeque<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** The JVM running this code: a child started with it runs on the same Java. */
    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts {@code jar} with {@code flags} and waits up to {@code startTimeout} for its banner.
     *
     * @param copyTo a file that receives everything the server prints, or null
     */
    public static ServerJarProcess start(String java, Path jar, List<String> flags, Path copyTo, Duration startTimeout)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        if (flags.stream().noneMatch(f -> f.startsWith("--host"))) {
            command.add("--host=127.0.0.1");
        }
        if (flags.stream().noneMatch(f -> f.startsWith("--port"))) {
            command.add("--port=0");
        }
        if (flags.stream().noneMatch(f -> f.startsWith("--data-dir"))) {
            // Every server process owns its data directory (its job store and lock).
            command.add("--data-dir=" + Files.createTempDirectory("asyncprod-server-"));
        }
        command.addAll(flags);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ArrayDeque<String> lines = new ArrayDeque<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        PrintStream copy = copyTo == null ? null : new PrintStream(Files.newOutputStream(copyTo), true, StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> pump(process, lines, port, copy), "server-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        try {
            return new ServerJarProcess(process, port.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS), lines);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("server.jar " + String.join(" ", flags) + " did not start: " + tail(lines), e);
        }
    }

    private static void pump(Process process, ArrayDeque<String> lines, CompletableFuture<Integer> port, PrintStream copy) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.addLast(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                }
                if (copy != null) {
                    copy.println(line);
                }
                Matcher m = LISTENING.matcher(line);
                if (m.matches()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException ended) {
            // the process ended
        } finally {
            if (copy != null) {
                copy.close();
            }
            port.completeExceptionally(new IllegalStateException("exited with " + exitCodeOf(process) + " before listening"));
        }
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

    /** The latest lines the server printed, oldest first. */
    public List<String> output() {
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

    /** SIGTERM (the graceful drain), then SIGKILL if it has not exited within 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
