package dev.asyncprod.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.config.ServerCommand;
import dev.asyncprod.server.config.ServerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class ServerCommandTest {

    @Test
    void flagsAreReadWithUnits() {
        ServerConfig c = ServerCommand.parse("--mode=BLOCKING", "--port=9000", "--max-body=64k",
                "--max-header=16k", "--idle-timeout=500ms", "--event-loops=3", "--blocking-threads=10");

        assertThat(c.mode()).isEqualTo(Mode.BLOCKING);
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.maxBody()).isEqualTo(65536);
        assertThat(c.maxHeader()).isEqualTo(16384);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.eventLoops()).isEqualTo(3);
        assertThat(c.blockingThreads()).isEqualTo(10);
    }

    @Test
    void eventLoopsDefaultToTheCoreCount() {
        assertThat(ServerCommand.parse("--event-loops=0").eventLoops())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> ServerCommand.parse("--port=70000"))
                .isInstanceOf(ParameterException.class).hasMessage("--port must be from 0 to 65535, got 70000");
        assertThatThrownBy(() -> ServerCommand.parse("--mode=fast"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected async, blocking or virtual");
        assertThatThrownBy(() -> ServerCommand.parse("--max-body=lots"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected a size such as");
        assertThatThrownBy(() -> ServerCommand.parse("--idle-timeout=soon"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected a duration");
    }
}
