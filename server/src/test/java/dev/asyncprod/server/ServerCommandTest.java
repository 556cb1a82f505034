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
    void portRangeAndEmailFlags() {
        ServerConfig c = ServerCommand.parse("--port=9201-9203", "--smtp=127.0.0.1:2525", "--email-latency=250ms",
                "--data-dir=/var/lib/asyncprod", "--email-max-attempts=3");

        assertThat(c.port()).isEqualTo(9201);
        assertThat(c.lastPort()).isEqualTo(9203);
        assertThat(c.email().smtp().getHostString()).isEqualTo("127.0.0.1");
        assertThat(c.email().smtp().getPort()).isEqualTo(2525);
        assertThat(c.email().mailboxLatency()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.dataDir()).hasToString("/var/lib/asyncprod");
        assertThat(c.email().maxAttempts()).isEqualTo(3);
        assertThat(ServerCommand.parse().email().smtp()).isNull(); // the built-in mailbox by default
    }

    @Test
    void eventLoopsDefaultToTheCoreCount() {
        assertThat(ServerCommand.parse("--event-loops=0").eventLoops())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> ServerCommand.parse("--port=70000"))
                .isInstanceOf(ParameterException.class).hasMessage("--port must be from 0 to 65535 or a range like 9201-9203, got 70000");
        assertThatThrownBy(() -> ServerCommand.parse("--port=9203-9201"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("must run upwards");
        assertThatThrownBy(() -> ServerCommand.parse("--smtp=mail.example.com"))
                .isInstanceOf(ParameterException.class).hasMessage("--smtp must be host:port, got 'mail.example.com'");
        assertThatThrownBy(() -> ServerCommand.parse("--email-from=nobody"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--email-from must be an address");
        assertThatThrownBy(() -> ServerCommand.parse("--mode=fast"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected async, blocking or virtual");
        assertThatThrownBy(() -> ServerCommand.parse("--max-body=lots"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected a size such as");
        assertThatThrownBy(() -> ServerCommand.parse("--idle-timeout=soon"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected a duration");
    }
}
