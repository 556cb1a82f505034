package dev.asyncprod.common.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a process has spent so far, from Linux's {@code /proc}: CPU time and context switches, what
 * {@code time -v} shows, without attaching to the JVM. Take one before and one after a stretch of
 * work; {@link #minus} is what the stretch cost. A reading of another user's process, or of one in
 * another PID namespace (a container's), is not this machine's to take: read only processes started here.
 *
 * <p>CPU time is {@code utime + stime} of {@code /proc/PID/stat}: the whole thread group, including
 * threads that ended since the process started, so the JIT's compiler threads (which come and go)
 * are counted even when they end between two readings. Per-thread {@code schedstat} would be finer
 * (nanoseconds against 10 ms ticks) but loses an ended thread's time; a tick or two is about 0.1 %
 * of a 15-second window on one busy core.
 *
 * <p>Context switches have no process-wide counter, so they are read per thread from
 * {@code /proc/PID/task/TID/status} (as {@code load-tests/bench/cost-per-request.sh} does) and
 * subtracted thread by thread: a thread born in between counts from zero, and one that ended in
 * between drops out instead of taking its earlier count with it (a plain sum would go down, even below zero).
 *
 */
public final class ProcessCost {

    /**
     * The unit of {@code /proc}'s tick counts is USER_HZ, which is 100 on every architecture the JDK
     * is built for (only alpha and ia64 differed); ProcessCostTest checks it against the JDK's own reading.
     */
    static final long NANOS_PER_TICK = 10_000_000L;

    private final long cpuNanos;
    private final long voluntarySwitches;
    private final long involuntarySwitches;
    private final Map<Long, long[]> perThread; // thread id to {voluntary, involuntary}; empty in a difference

    ProcessCost(long cpuNanos, long voluntarySwitches, long involuntarySwitches, Map<Long, long[]> perThread) {
        this.cpuNanos = cpuNanos;
        this.voluntarySwitches = voluntarySwitches;
        this.involuntarySwitches = involuntarySwitches;
        this.perThread = perThread;
    }

    /** Now, or empty when the process is gone or this is not Linux. */
    public static Optional<ProcessCost> of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            // CPU first: of the two, it is the one the window's edge matters for.
            long cpuNanos = cpuTicks(Files.readString(proc.resolve("stat"))) * NANOS_PER_TICK;
            Map<Long, long[]> threads = new HashMap<>();
            long voluntary = 0;
            long involuntary = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
                for (Path task : tasks) {
                    long[] switches = switches(task.resolve("status"));
                    if (switches != null) { // null: the thread ended while the folder was read
                        threads.put(Long.parseLong(task.getFileName().toString()), switches);
                        voluntary += switches[0];
                        involuntary += switches[1];
                    }
                }
            }
            return Optional.of(new ProcessCost(cpuNanos, voluntary, involuntary, threads));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // gone, or not Linux
        }
    }

    /** {@code utime + stime} from a {@code /proc/PID/stat} line. */
    static long cpuTicks(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces or parentheses itself:
        // the fields to count start after the last ')'. utime and stime are fields 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** {voluntary, involuntary} from one thread's status file, or null if it is gone. */
    private static long[] switches(Path status) {
        long[] both = new long[2];
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    both[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                    both[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return both;
        } catch (IOException gone) {
            return null;
        }
    }

    /** User plus system CPU time. */
    public long cpuNanos() {
        return cpuNanos;
    }

    /** Switches where a thread gave up the CPU: a wait, a park, a blocking read. */
    public long voluntarySwitches() {
        return voluntarySwitches;
    }

    /** Switches where the scheduler took the CPU away: the thread's time slice was up, or another woke with a better claim. */
    public long involuntarySwitches() {
        return involuntarySwitches;
    }

    /** Context switches of both kinds. */
    public long switches() {
        return voluntarySwitches + involuntarySwitches;
    }

    /**
     * What was spent between {@code earlier} and this reading, switches summed thread by thread; the
     * difference has no threads of its own. A thread id seen with a higher count earlier is a new
     * thread that reused the id, and counts from zero.
     */
    public ProcessCost minus(ProcessCost earlier) {
        long voluntary = 0;
        long involuntary = 0;
        for (Map.Entry<Long, long[]> now : perThread.entrySet()) {
            long[] then = earlier.perThread.get(now.getKey());
            boolean same = then != null && then[0] <= now.getValue()[0] && then[1] <= now.getValue()[1];
            voluntary += now.getValue()[0] - (same ? then[0] : 0);
            involuntary += now.getValue()[1] - (same ? then[1] : 0);
        }
        return new ProcessCost(cpuNanos - earlier.cpuNanos, voluntary, involuntary, Map.of());
    }
}
