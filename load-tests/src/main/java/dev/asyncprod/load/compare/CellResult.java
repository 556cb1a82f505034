package dev.asyncprod.load.compare;

import dev.asyncprod.load.gen.LoadResult;
import org.HdrHistogram.Histogram;

/**
 * One mode's run of one cell, with the server's peak threads and resident memory during it.
 *
 * @param bound the Little's-law bound in req/s for this mode, 0 when none applies
 * @param cost  what the window's requests cost the server, or null when its {@code /proc} was not
 *              readable (a server attached with {@code --url}, or not Linux)
 */
record CellResult(Cell cell, String mode, LoadResult load, long peakThreads, long peakRssKb, double bound, ServerCost cost) {

    /** The latency to read: from the intended send in the open model, from the actual send in the closed one. */
    Histogram latency() {
        return cell.openModel() ? load.responseTime() : load.serviceTime();
    }

    /** Share of the bound reached by answers that were not errors (a fast 503 is no throughput), or NaN without a bound. */
    double fractionOfBound() {
        return bound > 0 ? load.okRps() / bound : Double.NaN;
    }

    /** Where a cell's raw JSON and interval log go: {@code <mode>-<cell>.json}, {@code .hlog}. */
    static String fileStem(String mode, Cell cell) {
        return mode + "-" + cell.name();
    }
}
