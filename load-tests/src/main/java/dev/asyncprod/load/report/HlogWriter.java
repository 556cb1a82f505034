package dev.asyncprod.load.report;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The {@code --hlog} interval log: one histogram per second, in HdrHistogram's log format, so runs
 * from several load machines can be merged exactly ({@code merge a.hlog b.hlog}). Values are
 * microseconds. Untagged intervals are the latency to read (corrected in the open model);
 * intervals tagged {@code uncorrected} hold the open model's latency from the actual send.
 */
public final class HlogWriter implements AutoCloseable {

    public static final String UNCORRECTED_TAG = "uncorrected";

    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final boolean writeUncorrected;

    public HlogWriter(Path file, long startEpochMs, boolean openModel) throws FileNotFoundException {
        this.out = new PrintStream(file.toFile());
        this.writer = new HistogramLogWriter(out);
        this.writeUncorrected = openModel;
        writer.outputComment("asyncprod load generator; values in microseconds");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startEpochMs);
        writer.setBaseTime(startEpochMs);
        writer.outputLegend();
    }

    public void interval(Histogram serviceTime, Histogram responseTime) {
        responseTime.setTag(null);
        writer.outputIntervalHistogram(responseTime);
        if (writeUncorrected) {
            serviceTime.setTag(UNCORRECTED_TAG);
            writer.outputIntervalHistogram(serviceTime);
            serviceTime.setTag(null);
        }
    }

    @Override
    public void close() {
        out.close();
    }
}
