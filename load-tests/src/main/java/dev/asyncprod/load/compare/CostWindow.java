package dev.asyncprod.load.compare;

import dev.asyncprod.common.process.CpuSteal;
import dev.asyncprod.common.process.ProcessCost;
import dev.asyncprod.load.gen.WindowListener;

/**
 * Reads a server's {@code /proc} and the machine's steal at the edges of a run's measured window,
 * on the generator's reporter thread: one status file per server thread, about 7 ms for 300 threads
 * here, against the window's seconds, and spent by this process, not the server.
 */
final class CostWindow implements WindowListener {

    private final long pid;
    private volatile ProcessCost processBefore;
    private volatile ProcessCost processAfter;
    private volatile CpuSteal stealBefore;
    private volatile CpuSteal stealAfter;

    CostWindow(long pid) {
        this.pid = pid;
    }

    @Override
    public void opened() {
        // The machine first and last: its reading brackets the server's.
        stealBefore = CpuSteal.now().orElse(null);
        processBefore = ProcessCost.of(pid).orElse(null);
    }

    @Override
    public void closed() {
        processAfter = ProcessCost.of(pid).orElse(null);
        stealAfter = CpuSteal.now().orElse(null);
    }

    /** The window's cost for {@code requests} counted in it, or null when the server's /proc could not be read at either edge. */
    ServerCost cost(long requests) {
        if (processBefore == null || processAfter == null) {
            return null;
        }
        ProcessCost spent = processAfter.minus(processBefore);
        double steal = stealBefore != null && stealAfter != null ? stealAfter.minus(stealBefore).share() : Double.NaN;
        return new ServerCost(requests, spent.cpuNanos(), spent.voluntarySwitches(), spent.involuntarySwitches(), steal);
    }
}
