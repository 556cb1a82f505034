package dev.asyncprod.load.merge;

import dev.asyncprod.load.report.HlogWriter;
import dev.asyncprod.load.report.Percentiles;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code merge a.hlog b.hlog ...}: adds the interval histograms of runs from several load machines
 * and prints the combined percentiles. Percentiles cannot be averaged; histograms can be added.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Combine HdrHistogram interval logs (--hlog) from several runs and print the merged latency summary.")
public final class MergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Interval logs written with --hlog.")
    List<Path> files;

    /** The merged latencies of several logs: untagged intervals, and those tagged {@code uncorrected}. */
    public record Merged(Histogram latency, Histogram uncorrected) {
    }

    public static Merged merge(List<Path> logs) throws FileNotFoundException {
        Histogram latency = new Histogram(3);
        Histogram uncorrected = new Histogram(3);
        for (Path log : logs) {
            HistogramLogReader reader = new HistogramLogReader(log.toFile());
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null) {
                Histogram h = (Histogram) interval;
                (HlogWriter.UNCORRECTED_TAG.equals(h.getTag()) ? uncorrected : latency).add(h);
            }
        }
        return new Merged(latency, uncorrected);
    }

    @Override
    public Integer call() throws Exception {
        Merged merged = merge(files);
        System.out.printf("  %d requests from %d logs%n", merged.latency().getTotalCount(), files.size());
        System.out.println(Percentiles.header());
        System.out.println(Percentiles.row(merged.uncorrected().getTotalCount() > 0 ? "corrected" : "latency", merged.latency()));
        if (merged.uncorrected().getTotalCount() > 0) {
            System.out.println(Percentiles.row("uncorrected", merged.uncorrected()));
        }
        return 0;
    }
}
