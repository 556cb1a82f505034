package dev.asyncprod.common.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine's CPU time so far and how much of it the hypervisor gave to other guests (the
 * {@code steal} column of {@code /proc/stat}'s {@code cpu} line, what {@code top} shows as
 * {@code st}), in ticks over all cores. On a shared virtual machine a stolen stretch makes every
 * process in it slower and its CPU readings harder to compare, so a measurement says when it had one.
 *
 * @param stealTicks time the guest wanted to run and the host ran something else
 * @param totalTicks user, nice, system, idle, iowait, irq, softirq and steal: all the time there was
 *                   (guest time is already in user and nice, so it is not added again)
 */
public record CpuSteal(long stealTicks, long totalTicks) {

    /** Now, or empty when this is not Linux. */
    public static Optional<CpuSteal> now() {
        try {
            return Optional.of(parse(Files.readAllLines(Path.of("/proc/stat")).getFirst()));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** From {@code /proc/stat}'s first line: {@code cpu  user nice system idle iowait irq softirq steal guest guest_nice}. */
    static CpuSteal parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long total = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) { // kernels before 2.6.11 have no steal column
            total += Long.parseLong(f[i]);
        }
        return new CpuSteal(f.length > 8 ? Long.parseLong(f[8]) : 0, total);
    }

    public CpuSteal minus(CpuSteal earlier) {
        return new CpuSteal(stealTicks - earlier.stealTicks, totalTicks - earlier.totalTicks);
    }

    /** The stolen share of the time, 0 to 1 (0 when no time passed). */
    public double share() {
        return totalTicks > 0 ? (double) stealTicks / totalTicks : 0;
    }
}
