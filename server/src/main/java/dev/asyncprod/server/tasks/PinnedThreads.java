package dev.asyncprod.server.tasks;

import java.time.Duration;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual threads pinned to their carrier while they blocked, read in process from JFR's
 * {@code jdk.VirtualThreadPinned} events (the JDK's own detector; JDK 24+ pins only in native
 * frames and class initialisers, not in {@code synchronized}). Each event lints the task the thread
 * runs, and counts in {@code tasks_lints_total{lint="pinned"}}. Only in virtual mode: a JFR stream
 * costs a thread and a little memory, for threads no other mode has.
 */
public final class PinnedThreads implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PinnedThreads.class);

    private final RecordingStream stream;

    private PinnedThreads(RecordingStream stream) {
        this.stream = stream;
    }

    /**
     * Starts listening. {@code threshold} is the shortest pin reported: the blocked-loop threshold,
     * since a pinned carrier is a blocked loop of the virtual threads' scheduler.
     */
    public static AutoCloseable watch(TaskRegistry registry, Duration threshold) {
        try {
            RecordingStream stream = new RecordingStream();
            stream.enable("jdk.VirtualThreadPinned").withThreshold(threshold).withStackTrace();
            stream.onEvent("jdk.VirtualThreadPinned", event -> {
                RecordedThread thread = event.getThread();
                if (thread != null) {
                    registry.pinned(thread.getJavaThreadId());
                }
            });
            stream.startAsync();
            return new PinnedThreads(stream);
        } catch (RuntimeException | LinkageError e) { // JFR left out of the runtime image, or refused
            log.info("pinned virtual threads are not watched: {}", e.toString());
            return () -> { };
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}
