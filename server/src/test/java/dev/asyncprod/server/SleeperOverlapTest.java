package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.longs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The asyncio example's sleeper: tasks of 1 s and 1.5 s finish after about 1.5 s when they overlap
 * (async, virtual) and after 2.5 s when run one after another (blocking). Asserted on the task
 * offsets the server reports, which a loaded machine stretches but cannot reorder, and on the total
 * against what the claim means: at least the longest wait, and less than the sum (a whole second of
 * room, far more than any scheduling hiccup on two busy cores).
 */
class SleeperOverlapTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes();

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"ASYNC", "VIRTUAL", "VIRTUAL_LOOP"})
    void concurrentModesOverlapTheTasks(Mode mode) {
        String body = Http.get(servers.uri(mode, "/gather?ms=1000,1500")).body();
        List<Long> starts = longs(body, "start_ms");
        List<Long> ends = longs(body, "end_ms");

        assertThat(starts.get(1)).as("task-2 starts before task-1 ends").isLessThan(ends.get(0));
        assertThat(longField(body, "total_ms")).as("the longest wait, not the sum").isBetween(1500L, 2499L);
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "BLOCKING")
    void blockingModeRunsThemOneAfterAnother(Mode mode) {
        String body = Http.get(servers.uri(mode, "/gather?ms=1000,1500")).body();
        List<Long> starts = longs(body, "start_ms");
        List<Long> ends = longs(body, "end_ms");

        assertThat(starts.get(1)).as("task-2 starts after task-1 ends").isGreaterThanOrEqualTo(ends.get(0));
        assertThat(longField(body, "total_ms")).as("the sum of the waits").isGreaterThanOrEqualTo(2500L);
    }
}
