package dev.asyncprod.common.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Readings of this test's own JVM: work it does shows up as CPU time, waits as context switches. */
class ProcessCostTest {

    private static final long PID = ProcessHandle.current().pid();

    @BeforeEach
    void linux() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "no /proc here: ProcessCost reads Linux's /proc");
    }

    @Test
    void cpuTimeGrowsByTheWorkDone() {
        ProcessCost before = ProcessCost.of(PID).orElseThrow();
        burn(Duration.ofMillis(300));
        ProcessCost spent = ProcessCost.of(PID).orElseThrow().minus(before);

        // At least this thread's 300 ms, less the two readings' rounding to 10 ms ticks; other threads only add.
        assertThat(spent.cpuNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(280).toNanos());
    }

    @Test
    void cpuTimeIsInTheUnitsTheJdkReadsItIn() {
        burn(Duration.ofMillis(200)); // enough that a wrong tick length could not hide in the rounding
        Duration jdkBefore = ProcessHandle.current().info().totalCpuDuration().orElse(null);
        assumeTrue(jdkBefore != null, "the JDK reports no CPU time for this process");
        long ours = ProcessCost.of(PID).orElseThrow().cpuNanos();
        Duration jdkAfter = ProcessHandle.current().info().totalCpuDuration().orElseThrow();

        // The JDK converts the same /proc ticks with sysconf(_SC_CLK_TCK); a tick of slack either side.
        assertThat(ours).isBetween(jdkBefore.toNanos() - ProcessCost.NANOS_PER_TICK, jdkAfter.toNanos() + ProcessCost.NANOS_PER_TICK);
    }

    @Test
    void sleepsAreVoluntaryContextSwitches() throws InterruptedException {
        ProcessCost before = ProcessCost.of(PID).orElseThrow();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(2); // each one gives up the CPU
        }
        ProcessCost spent = ProcessCost.of(PID).orElseThrow().minus(before);

        assertThat(spent.voluntarySwitches()).isGreaterThanOrEqualTo(20);
        assertThat(spent.involuntarySwitches()).isNotNegative();
        assertThat(spent.switches()).isEqualTo(spent.voluntarySwitches() + spent.involuntarySwitches());
    }

    @Test
    void aThreadThatEndsInBetweenDropsOutAndANewOneCountsFromZero() {
        ProcessCost before = new ProcessCost(0, 0, 0, Map.of(
                1L, new long[] {1_000, 50},   // ends before the second reading
                2L, new long[] {10, 1},       // lives on: 5 and 2 more
                4L, new long[] {900, 90}));   // ends, and a new thread gets its id: 7 and 0 so far
        ProcessCost after = new ProcessCost(0, 0, 0, Map.of(
                2L, new long[] {15, 3},
                3L, new long[] {4, 0},        // born in between
                4L, new long[] {7, 0}));

        ProcessCost spent = after.minus(before);

        assertThat(spent.voluntarySwitches()).isEqualTo(5 + 4 + 7);
        assertThat(spent.involuntarySwitches()).isEqualTo(2);
    }

    @Test
    void readsUtimeAndStimeWhateverTheCommandIsCalled() {
        String stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 99 0 0";

        assertThat(ProcessCost.cpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void aProcessThatIsGoneHasNoReading() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();

        assertThat(ProcessCost.of(gone.pid())).isEmpty();
    }

    /** Keeps this thread on the CPU for {@code cpu} of its own CPU time. */
    static void burn(Duration cpu) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + cpu.toNanos();
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 10_000; i++) {
                sink += i * 31L ^ sink;
            }
        }
        if (sink == 42) {
            System.out.print(""); // keeps the loop from being optimised away
        }
    }
}
