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
 * The asyncio example's sleeper: tasks of 300 ms and 700 ms finish after about 700 ms when they overlap
 * (async, virtual) and after about 1000 ms when run one after another (blocking). Asserted on the
 * task offsets the server reports, which a loaded machine stretches but cannot reorder, and on the
 * total with margins far wider than any scheduling hiccup.
 */
class SleeperPropertyTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes();

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"ASYNC", "VIRTUAL"})
    void concurrentModesOverlapTheTasks(Mode mode) {
        String body = Http.get(servers.uri(mode, "/gather?ms=300,700")).body();
        List<Long> starts = longs(body, "start_ms");
        List<Long> ends = longs(body, "end_ms");

        assertThat(starts.get(1)).as("task-2 starts before task-1 ends").isLessThan(ends.get(0));
        assertThat(longField(body, "total_ms")).isBetween(700L, 990L);
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "BLOCKING")
    void blockingModeRunsThemOneAfterAnother(Mode mode) {
        String body = Http.get(servers.uri(mode, "/gather?ms=300,700")).body();
        List<Long> starts = longs(body, "start_ms");
        List<Long> ends = longs(body, "end_ms");

        assertThat(starts.get(1)).as("task-2 starts after task-1 ends").isGreaterThanOrEqualTo(ends.get(0));
        assertThat(longField(body, "total_ms")).isGreaterThanOrEqualTo(1000L);
    }
}
