package dev.asyncprod.server.ops;

import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.TraceContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * The access log, the way nginx writes one ({@code access_log ... buffer= flush=}): a line per
 * answered request, written off the event loop. Answering a request costs the event loop one small
 * record and one offer to a bounded lock-free queue; the {@code access-log} thread formats what has
 * gathered and writes it in one {@code write}, every {@link #FLUSH_INTERVAL_MS} ms, or sooner once
 * {@link #WAKE_AT} lines wait. A full queue drops the line and counts it
 * ({@code access_log_dropped_total}): the log never slows a request down.
 *
 * <p>Lines have the shape of the console's other lines, text or JSON ({@link JsonLogLine}), and a
 * batch goes to stdout through {@code System.out}, whose lock keeps it whole among logback's
 * lines. Off when {@code --access-log off} or when the {@code access} logger is below INFO
 * ({@code --log-level warn}).
 */
public final class AccessLog implements ExchangeListener, MeterBinder, AutoCloseable {

    /** Often enough that {@code tail -f} looks live; seldom enough that a busy server writes hundreds of lines a go. */
    static final long FLUSH_INTERVAL_MS = 100;
    /** Lines waiting at most: over half a second of 100,000 requests a second. */
    static final int CAPACITY = 65_536;
    /** Lines waiting that wake the writer before its interval: a burst is written in pieces, not all at once. */
    static final int WAKE_AT = 8_192;
    /** Bytes the writer gathers before a write. */
    private static final int BATCH_BYTES = 64 * 1024;

    public enum Format { TEXT, JSON }

    /**
     * What the event loop keeps of an answered request: strings it already had, nothing formatted,
     * and not the request itself, whose body a slow writer would otherwise keep alive.
     */
    private record Line(long answeredNanos, String thread, String id, TraceContext trace, String method,
                        String target, String protocol, String remoteAddress, String userAgent, int status, long bytes, long nanos) {
    }

    private final String mode;
    private final Format format;
    private final OutputStream file; // null: stdout
    private final ConcurrentLinkedQueue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean closing;
    private final LineBuffer batch = new LineBuffer(BATCH_BYTES * 2);
    private final JsonLogLine json;
    private final TextTimestamps timestamps = new TextTimestamps();
    private long wallOffsetNanos; // the writer's: wall-clock nanoseconds minus System.nanoTime()

    private AccessLog(String mode, Format format, OutputStream file) throws IOException {
        this.mode = mode;
        this.format = format;
        this.file = file;
        this.json = new JsonLogLine(batch);
        this.writer = new Thread(this::run, "access-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * The access log for {@code destination} ({@code stdout}, {@code off}, or a file to append to),
     * or {@link ExchangeListener#NONE} when it is off.
     *
     * @param mode the execution model's name, on every line, so logs of several modes can be told apart
     */
    public static ExchangeListener start(String destination, Format format, String mode) throws IOException {
        if (destination.equals("off") || !LoggerFactory.getLogger("access").isInfoEnabled()) {
            return ExchangeListener.NONE;
        }
        OutputStream file = destination.equals("stdout") ? null : Files.newOutputStream(Path.of(destination),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new AccessLog(mode, format, file);
    }

    @Override
    public void answered(Request request, int status, long bytes, long durationNanos) {
        int now = waiting.incrementAndGet();
        if (now > CAPACITY || closing) {
            waiting.decrementAndGet();
            dropped.increment();
            return;
        }
        // When it was answered, from the clock reading the duration came from: the loop reads no clock of its own.
        queue.offer(new Line(request.startNanos() + durationNanos, Thread.currentThread().getName(), request.id(),
                request.trace(), request.method().name(), request.uri(), request.protocol(),
                request.remoteAddress(), request.headers().get(HttpHeaderNames.USER_AGENT), status, bytes, durationNanos));
        if (now == WAKE_AT) {
            LockSupport.unpark(writer);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("access_log_dropped", dropped, LongAdder::sum)
                .description("Access log lines dropped because the writer was behind").register(registry);
        Gauge.builder("access_log_waiting", waiting, AtomicInteger::get)
                .description("Access log lines waiting to be written").register(registry);
    }

    private void run() {
        while (true) {
            boolean last = closing;
            try {
                writeWaiting();
            } catch (IOException | RuntimeException e) {
                System.err.println("access log: " + e); // nowhere better to say it; the next batch tries again
            }
            if (last) {
                return;
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS));
        }
    }

    private void writeWaiting() throws IOException {
        // The lines carry nanoTime; the wall clock's offset from it, read once a batch, makes them timestamps.
        wallOffsetNanos = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
        Line line;
        int taken = 0;
        while ((line = queue.poll()) != null) {
            taken++;
            if (format == Format.JSON) {
                json(line);
            } else {
                text(line);
            }
            if (batch.size() >= BATCH_BYTES) {
                flush();
                waiting.addAndGet(-taken); // once a batch, not once a line: the loops count on the same counter
                taken = 0;
            }
        }
        if (batch.size() > 0) {
            flush();
        }
        waiting.addAndGet(-taken);
    }

    /** {@code 2026-12-01T16:08:23.123Z INFO  [event-loop-1] access id=.. trace=.. - GET /hello HTTP/1.1 200 5B 0.4ms 127.0.0.1 "curl/8.1" mode=async} */
    private void text(Line l) {
        LineBuffer b = batch;
        b.append(timestamps.format(epochMillis(l))).append(" INFO  [").append(l.thread()).append("] access id=").append(l.id())
                .append(" trace=").appendHex(l.trace().traceIdHigh()).appendHex(l.trace().traceIdLow())
                .append(" - ").append(l.method()).append(' ').appendEscaped(l.target())
                .append(' ').append(l.protocol()).append(' ').append(l.status()).append(' ').append(l.bytes()).append("B ");
        long micros = l.nanos() / 1000;
        b.append(micros / 1000).append('.').append(micros % 1000 / 100).append("ms ").append(l.remoteAddress()).append(" \"")
                .appendEscaped(l.userAgent() == null ? "-" : l.userAgent()).append("\" mode=").append(mode).append('\n');
    }

    private void json(Line l) throws IOException {
        int query = l.target().indexOf('?');
        json.begin(epochMillis(l), "INFO", "access", l.thread(), l.method() + " " + l.target() + " " + l.status())
                .field("request_id", l.id())
                .field("trace_id", l.trace().traceId())
                .field("span_id", l.trace().spanId())
                .field("parent_span_id", l.trace().parentSpanId())
                .field("method", l.method())
                .field("path", query < 0 ? l.target() : l.target().substring(0, query))
                .field("query", query < 0 ? null : l.target().substring(query + 1))
                .field("protocol", l.protocol())
                .field("status", l.status())
                .field("duration_ms", Math.round(l.nanos() / 1e3) / 1e3)
                .field("bytes", l.bytes())
                .field("remote_address", l.remoteAddress())
                .field("user_agent", l.userAgent())
                .field("mode", mode)
                .end();
    }


    private long epochMillis(Line l) {
        return Math.floorDiv(l.answeredNanos() + wallOffsetNanos, 1_000_000);
    }

    private void flush() throws IOException {
        if (file != null) {
            batch.writeTo(file);
            file.flush();
        } else {
            PrintStream out = System.out; // looked up each time: whoever owns stdout now
            synchronized (out) { // PrintStream's own lock: logback's console lines wait for the whole batch
                batch.writeTo(out);
                out.flush();
            }
        }
        batch.reset();
    }

    /** Writes what is waiting, then stops; lines answered later are dropped. */
    @Override
    public void close() throws IOException {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (file != null) {
            file.close();
        }
    }

    /** The console's timestamp, {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX} in the local zone, formatted once a millisecond. */
    private static final class TextTimestamps {
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());
        private long millis = -1;
        private String formatted;

        String format(long epochMillis) {
            if (epochMillis != millis) {
                millis = epochMillis;
                formatted = FORMAT.format(Instant.ofEpochMilli(epochMillis));
            }
            return formatted;
        }
    }
}
