package dev.asyncprod.load.gen;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Everything the connections record, safe to write from any event loop and to read from the
 * reporter thread. Latencies are in microseconds.
 *
 * <p>Two latencies per answer: <b>service time</b> (from when the request was actually written)
 * and <b>response time</b> (from when the schedule intended to write it). In the closed model they
 * are the same. In the open model a stalled server delays the next sends on its connections; the
 * service time then hides the stall (coordinated omission), the response time shows it. In the
 * closed model each answer is recorded once, as its service time.
 */
public final class Recording {

    private final Recorder serviceTime = new Recorder(3);
    private final Recorder responseTime = new Recorder(3);
    private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
    private final LongAdder completed = new LongAdder();
    private final LongAdder missedSchedule = new LongAdder();
    private final LongAdder abandoned = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Answers by status code, 100-599; one slot per code, so counting is one increment. */
    private final AtomicLongArray statuses = new AtomicLongArray(600);
    private volatile String firstTlsFailure;

    private final boolean openModel;

    public Recording(boolean openModel) {
        this.openModel = openModel;
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    void answered(long intendedNanos, long sentNanos, long doneNanos, int status) {
        serviceTime.recordValue(Math.max(0, (doneNanos - sentNanos) / 1000));
        if (openModel) {
            responseTime.recordValue(Math.max(0, (doneNanos - intendedNanos) / 1000));
        }
        completed.increment();
        if (status >= 0 && status < 600) {
            statuses.incrementAndGet(status);
        }
        if (status >= 400) {
            errors.get(ErrorKind.STATUS).increment();
        }
    }

    void failed(ErrorKind kind) {
        errors.get(kind).increment();
    }

    /** A TLS handshake failed; the first reason is kept for the summary, which says why. */
    void tlsFailed(String reason) {
        errors.get(ErrorKind.TLS).increment();
        if (firstTlsFailure == null) {
            firstTlsFailure = reason;
        }
    }

    public String firstTlsFailure() {
        return firstTlsFailure;
    }

    /** Answers by status code, in code order, codes never seen left out. */
    public Map<Integer, Long> statusCounts() {
        Map<Integer, Long> counts = new TreeMap<>();
        for (int code = 0; code < statuses.length(); code++) {
            long n = statuses.get(code);
            if (n > 0) {
                counts.put(code, n);
            }
        }
        return counts;
    }

    /** The generator, not the server, sent a request late: its connection was free but the loop was busy. */
    void missedSchedule() {
        missedSchedule.increment();
    }

    /** A request still unanswered when the run ended: sent, but outside the measured window. */
    void abandoned() {
        abandoned.increment();
    }

    public long abandonedCount() {
        return abandoned.sum();
    }

    AtomicInteger inFlight() {
        return inFlight;
    }

    public Recorder serviceTime() {
        return serviceTime;
    }

    /** From the intended send: in the closed model, the service time's recorder itself. */
    public Recorder responseTime() {
        return openModel ? responseTime : serviceTime;
    }

    /** The closed model: the two latencies are one. */
    public boolean oneLatency() {
        return !openModel;
    }

    public long completed() {
        return completed.sum();
    }

    public long errors(ErrorKind kind) {
        return errors.get(kind).sum();
    }

    public long errorsTotal() {
        long sum = 0;
        for (LongAdder a : errors.values()) {
            sum += a.sum();
        }
        return sum;
    }

    public long missedScheduleCount() {
        return missedSchedule.sum();
    }

    public int inFlightNow() {
        return inFlight.get();
    }
}
