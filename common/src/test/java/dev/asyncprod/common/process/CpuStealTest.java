package dev.asyncprod.common.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuStealTest {

    @Test
    void stealIsAShareOfAllTheTimeThereWas() {
        CpuSteal before = CpuSteal.parse("cpu  1000 10 500 8000 100 0 50 40 300 0");
        CpuSteal after = CpuSteal.parse("cpu  1400 10 600 8400 100 0 50 90 400 0");

        CpuSteal window = after.minus(before);

        // Guest time (300, 400) is inside user already: not counted twice.
        assertThat(window.totalTicks()).isEqualTo(400 + 100 + 400 + 50);
        assertThat(window.stealTicks()).isEqualTo(50);
        assertThat(window.share()).isCloseTo(50.0 / 950, within(1e-9));
    }

    @Test
    void noTimeIsNoSteal() {
        CpuSteal now = CpuSteal.parse("cpu  1 2 3 4 5 6 7 8 0 0");

        assertThat(now.minus(now).share()).isZero();
    }

    @Test
    void readsThisMachine() throws InterruptedException {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "no /proc here: CpuSteal reads Linux's /proc/stat");
        CpuSteal before = CpuSteal.now().orElseThrow();
        Thread.sleep(100); // 10 ticks a core pass, busy or idle
        CpuSteal window = CpuSteal.now().orElseThrow().minus(before);

        assertThat(window.totalTicks()).isPositive();
        assertThat(window.share()).isBetween(0.0, 1.0);
    }
}
