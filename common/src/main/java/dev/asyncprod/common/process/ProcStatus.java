package dev.asyncprod.common.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's thread count and resident memory, from Linux's {@code /proc/<pid>/status}: what
 * {@code top} shows, without attaching to the JVM.
 *
 * @param threads live threads, or 0 if unreadable
 * @param rssKb   resident set size in KiB, or 0 if unreadable
 */
public record ProcStatus(long threads, long rssKb) {

    /** Zeros when the process is gone or this is not Linux. */
    public static ProcStatus of(long pid) {
        long threads = 0;
        long rssKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.substring("Threads:".length()).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rssKb = Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // gone, or not Linux
        }
        return new ProcStatus(threads, rssKb);
    }
}
