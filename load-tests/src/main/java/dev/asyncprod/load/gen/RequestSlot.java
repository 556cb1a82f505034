package dev.asyncprod.load.gen;

import java.util.concurrent.TimeUnit;

/**
 * One request loop, the generator's unit of work: at most one request out at a time; which
 * request goes next, when, and what becomes of its outcome. An HTTP/1.1 connection carries one
 * slot; an HTTP/2 connection carries {@code -m}, a stream each. The {@link Wire} only carries the
 * requests. Confined to its connection's event loop.
 *
 * <p><b>When.</b> Closed model (no {@link Schedule}): the next request is due as soon as the last
 * has settled, and is intended for the moment it goes. Open model: at the time its schedule intends;
 * a slot whose previous answer came after that time sends at once, late, and that request's latency
 * still counts from its intended time (coordinated omission corrected). Nothing is due once the run
 * is over, nor once the schedule reaches past the end: the slot then idles until its loop stops.
 *
 * <p><b>What counts.</b> An answer to a request sent in the measured window ({@link RunWindow})
 * that arrives before the end is recorded: latencies and status. A failure (read, timeout) of a
 * request sent in the window is counted. Requests sent in the warm-up are neither. A request still
 * out when the run ended ({@link #runEnded}), or answered after the end, is <i>abandoned</i>: its
 * answer is awaited but only counted as in flight at the end. (A failure in the moment between the
 * end and the loop's stop still counts, as it always has.)
 *
 * <p>Every send is the same request today; a request mix or a multi-step flow would choose the
 * next one in {@link #request()} and step on in {@link #answered}.
 */
final class RequestSlot<R> {

    /** {@link #nextDue}'s answer when the run has nothing more for this slot. */
    static final long NOTHING_DUE = Long.MAX_VALUE;

    /** A timer firing later than this means the generator fell behind, not the server. */
    static final long MISSED_THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private enum Phase {
        /** Nothing out. */
        IDLE,
        /** A request is out and its outcome will count (if it was sent in the window). */
        IN_FLIGHT,
        /** A request was out when the run ended: awaited, not counted. */
        OUT_AT_END
    }

    private final int index;
    private final R request;
    private final Schedule schedule; // null: closed model
    private final long measureFromNanos; // the window's bounds, copied: read on every answer
    private final long endNanos;
    private final Recording recording;
    private Phase phase = Phase.IDLE;
    private long intended;
    private long sent;

    /**
     * @param index    the slot's place on its connection, for a wire to keep per-slot state by
     * @param request  what the slot sends, as its wire writes it
     * @param schedule the open model's send times for this slot; null for the closed model
     */
    RequestSlot(int index, R request, Schedule schedule, RunWindow window, Recording recording) {
        this.index = index;
        this.request = request;
        this.schedule = schedule;
        this.measureFromNanos = window.measureFromNanos();
        this.endNanos = window.endNanos();
        this.recording = recording;
    }

    int index() {
        return index;
    }

    /** The request to send next. */
    R request() {
        return request;
    }

    /** A request is out: sent and neither answered nor failed yet. */
    boolean inFlight() {
        return phase != Phase.IDLE;
    }

    /**
     * When the next request is due, on the {@link System#nanoTime()} clock: {@code now} in the
     * closed model; its intended time in the open model, which may be past (then it goes at once,
     * late); or {@link #NOTHING_DUE}. In the open model each call takes the next time off the
     * schedule: one call per request.
     */
    long nextDue(long now) {
        if (now >= endNanos) {
            return NOTHING_DUE;
        }
        if (schedule == null) {
            intended = now;
            return now;
        }
        intended = schedule.nextIntended();
        return intended >= endNanos ? NOTHING_DUE : intended;
    }

    /** The timer set for {@link #nextDue}'s time fired at {@code now}: well after it, and in the window, is a missed schedule. */
    void timerFired(long now) {
        if (now - intended > MISSED_THRESHOLD_NANOS && intended >= measureFromNanos) {
            recording.missedSchedule();
        }
    }

    /** The wire wrote this slot's request at {@code now}. */
    void sent(long now) {
        sent = now;
        phase = Phase.IN_FLIGHT;
        recording.inFlight().incrementAndGet();
    }

    /** In flight for longer than {@code timeoutNanos}. */
    boolean overdue(long now, long timeoutNanos) {
        return phase != Phase.IDLE && now - sent > timeoutNanos;
    }

    /** The whole answer arrived at {@code now}; in flight only. */
    void answered(long now, int status) {
        if (phase == Phase.IN_FLIGHT && now >= endNanos) {
            phase = Phase.OUT_AT_END; // answered after the end, before the stop ran: not part of the run
        }
        if (settle()) {
            recording.answered(intended, sent, now, status);
        }
    }

    /** The request failed (a broken connection, a reset stream, a timeout); in flight only. */
    void failed(ErrorKind kind) {
        if (settle()) {
            recording.failed(kind);
        }
    }

    /** The run is over: a request out now is abandoned, whatever becomes of it. */
    void runEnded() {
        if (phase == Phase.IN_FLIGHT) {
            phase = Phase.OUT_AT_END;
        }
    }

    /** Back to idle; true if the outcome is to be recorded. */
    private boolean settle() {
        boolean counts = phase == Phase.IN_FLIGHT && sent >= measureFromNanos;
        if (phase == Phase.OUT_AT_END) {
            recording.abandoned();
        }
        recording.inFlight().decrementAndGet();
        phase = Phase.IDLE;
        return counts;
    }
}
