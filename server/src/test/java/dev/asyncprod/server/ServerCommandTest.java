package dev.asyncprod.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncprod.base.NettyTransport;
import dev.asyncprod.base.TlsProvider;
import dev.asyncprod.server.config.DbConfig;
import dev.asyncprod.server.config.EmailConfig;
import dev.asyncprod.server.config.ExecutionConfig;
import dev.asyncprod.server.config.LimitsConfig;
import dev.asyncprod.server.config.ListenConfig;
import dev.asyncprod.server.config.LoggingConfig;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.config.ProcessConfig;
import dev.asyncprod.server.config.ServerCommand;
import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.config.TlsConfig;
import dev.asyncprod.server.config.UpstreamConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Help;
import picocli.CommandLine.ParameterException;

@Timeout(value = 60, unit = SECONDS)
class ServerCommandTest {

    @Test
    void flagsAreReadWithUnits() {
        ServerConfig c = ServerCommand.parse("--mode=BLOCKING", "--port=9000", "--max-body=64k",
                "--max-header=16k", "--idle-timeout=500ms", "--event-loops=3", "--blocking-threads=10");

        assertThat(c.execution().mode()).isEqualTo(Mode.BLOCKING);
        assertThat(c.listen().port()).isEqualTo(9000);
        assertThat(c.limits().maxBody()).isEqualTo(65536);
        assertThat(c.limits().maxHeader()).isEqualTo(16384);
        assertThat(c.limits().idleTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.listen().eventLoops()).isEqualTo(3);
        assertThat(c.execution().blockingThreads()).isEqualTo(10);
    }

    @Test
    void portRangeAndEmailFlags() {
        ServerConfig c = ServerCommand.parse("--port=9201-9203", "--smtp=127.0.0.1:2525", "--email-latency=250ms",
                "--data-dir=/var/lib/asyncprod", "--email-max-attempts=3");

        assertThat(c.listen().port()).isEqualTo(9201);
        assertThat(c.listen().lastPort()).isEqualTo(9203);
        assertThat(c.listen().ports()).isEqualTo("9201-9203");
        assertThat(c.email().smtp().getHostString()).isEqualTo("127.0.0.1");
        assertThat(c.email().smtp().getPort()).isEqualTo(2525);
        assertThat(c.email().mailboxLatency()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.process().dataDir()).hasToString("/var/lib/asyncprod");
        assertThat(c.email().maxAttempts()).isEqualTo(3);
        assertThat(ServerCommand.parse().email().smtp()).isNull(); // the built-in mailbox by default
    }

    @Test
    void eventLoopsDefaultToTheCoreCount() {
        assertThat(ServerCommand.parse("--event-loops=0").listen().eventLoops())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    /** Every flag a value of its own, so a value that lands in a neighbour's component shows. */
    @Test
    void everyFlagReachesItsOwnComponent(@TempDir Path dir) throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "cert");
        Path key = Files.writeString(dir.resolve("key.pem"), "key");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");

        ServerConfig c = ServerCommand.parse(
                "--mode=virtual", "--blocking-threads=11", "--blocking-queue=12",
                "--host=127.0.0.2", "--port=9201-9203", "--transport=nio", "--event-loops=13",
                "--tls=on", "--tls-cert=" + cert, "--tls-key=" + key, "--tls-provider=jdk",
                "--max-inflight=21", "--max-connections=22", "--max-streams=23", "--max-body=24k", "--max-header=25k",
                "--idle-timeout=26s", "--request-timeout=27s",
                "--data-dir=/srv/data", "--shutdown-timeout=31s", "--drain-delay=32s",
                "--upstream=http://10.0.0.5:8080", "--upstream-ca=" + ca, "--upstream-timeout=41s",
                "--fanout-deadline=42s", "--upstream-connections=43",
                "--smtp=mail.example.com:2525", "--email-latency=51ms", "--email-concurrency=52",
                "--smtp-connections=53", "--smtp-timeout=54s", "--email-max-attempts=55", "--email-retry-base=56s",
                "--email-from=ops@example.com", "--jobs=postgresql://jobs@db1/queue", "--job-lease=57s",
                "--job-retention=58h",
                "--db=postgresql://app:pw@db2:6543/world", "--db-pool=61", "--db-pool-wait=62s",
                "--log-level=WARN", "--log-format=JSON", "--access-log=/srv/access.log", "--blocked-threshold=71ms",
                "--debug-endpoints");

        assertThat(c.execution()).extracting(ExecutionConfig::mode, ExecutionConfig::blockingThreads,
                ExecutionConfig::blockingQueue).containsExactly(Mode.VIRTUAL, 11, 12);
        assertThat(c.listen()).extracting(ListenConfig::host, ListenConfig::port, ListenConfig::lastPort,
                ListenConfig::transport, ListenConfig::eventLoops)
                .containsExactly("127.0.0.2", 9201, 9203, NettyTransport.Kind.NIO, 13);
        assertThat(c.tls()).extracting(TlsConfig::certificate, TlsConfig::privateKey, TlsConfig::selfSigned,
                TlsConfig::provider).containsExactly(cert, key, false, TlsProvider.JDK);
        assertThat(c.limits()).extracting(LimitsConfig::maxInflight, LimitsConfig::maxConnections,
                LimitsConfig::maxStreams, LimitsConfig::maxBody, LimitsConfig::maxHeader, LimitsConfig::idleTimeout,
                LimitsConfig::requestTimeout)
                .containsExactly(21, 22, 23, 24 * 1024, 25 * 1024, Duration.ofSeconds(26), Duration.ofSeconds(27));
        assertThat(c.process()).extracting(ProcessConfig::dataDir, ProcessConfig::shutdownTimeout,
                ProcessConfig::drainDelay).containsExactly(Path.of("/srv/data"), Duration.ofSeconds(31),
                Duration.ofSeconds(32));
        assertThat(c.upstream()).extracting(UpstreamConfig::url, UpstreamConfig::ca, UpstreamConfig::callTimeout,
                UpstreamConfig::fanoutDeadline, UpstreamConfig::connections)
                .containsExactly(URI.create("http://10.0.0.5:8080"), ca, Duration.ofSeconds(41), Duration.ofSeconds(42), 43);
        assertThat(c.email()).extracting(e -> e.smtp().getHostString(), e -> e.smtp().getPort(),
                EmailConfig::mailboxLatency, EmailConfig::concurrency, EmailConfig::smtpConnections,
                EmailConfig::smtpTimeout, EmailConfig::maxAttempts, EmailConfig::retryBase, EmailConfig::from,
                e -> e.jobStore().toString(), EmailConfig::jobLease, EmailConfig::jobRetention)
                .containsExactly("mail.example.com", 2525, Duration.ofMillis(51), 52, 53, Duration.ofSeconds(54), 55,
                        Duration.ofSeconds(56), "ops@example.com", "postgresql://jobs@db1:5432/queue",
                        Duration.ofSeconds(57), Duration.ofHours(58));
        assertThat(c.db()).extracting(d -> d.url().toString(), DbConfig::embedded, DbConfig::pool, DbConfig::poolWait)
                .containsExactly("postgresql://app@db2:6543/world", false, 61, Duration.ofSeconds(62));
        assertThat(c.logging()).extracting(LoggingConfig::level, LoggingConfig::format, LoggingConfig::accessLog,
                LoggingConfig::blockedThreshold, LoggingConfig::debugEndpoints)
                .containsExactly("warn", "json", "/srv/access.log", Duration.ofMillis(71), true);
        assertThat(c.upstreamOrSelf(8080)).isEqualTo(URI.create("http://10.0.0.5:8080"));
    }

    @Test
    void withoutAnUpstreamFanoutCallsThisServerInItsOwnScheme() {
        assertThat(ServerCommand.parse().upstreamOrSelf(8081)).isEqualTo(URI.create("http://127.0.0.1:8081"));
        assertThat(ServerCommand.parse("--tls=self-signed").upstreamOrSelf(8443))
                .isEqualTo(URI.create("https://127.0.0.1:8443"));
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> ServerCommand.parse("--mode=fast"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected async, blocking, virtual or virtual-loop");
        assertThatThrownBy(() -> ServerCommand.parse("--transport=dpdk"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected auto, epoll, io_uring or nio");
        assertThatThrownBy(() -> ServerCommand.parse("--max-body=lots"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected a size such as");
        assertThatThrownBy(() -> ServerCommand.parse("--idle-timeout=soon"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected a duration");
    }

    /** Each check's message, word for word: scripts and operators read them. */
    static Stream<Arguments> rejected() {
        String pgUrl = "postgresql://user[:password]@host[:port]/database";
        return Stream.of(
                Arguments.of(new String[] {"--port=70000"}, "--port must be from 0 to 65535 or a range like 9201-9203, got 70000"),
                Arguments.of(new String[] {"--port=9203-9201"}, "--port range must run upwards from a port above 0, got 9203-9201"),
                Arguments.of(new String[] {"--port=0-9201"}, "--port range must run upwards from a port above 0, got 0-9201"),
                Arguments.of(new String[] {"--event-loops=2000"}, "--event-loops must be from 0 to 1024, got 2000"),
                Arguments.of(new String[] {"--blocking-threads=0"}, "--blocking-threads must be from 1 to 10000, got 0"),
                Arguments.of(new String[] {"--blocking-queue=-1"}, "--blocking-queue must be from 0 to 1000000, got -1"),
                Arguments.of(new String[] {"--tls-provider=gnutls"}, "--tls-provider: expected auto, jdk or openssl, got 'gnutls'"),
                Arguments.of(new String[] {"--tls=maybe"}, "--tls must be off, on or self-signed, got 'maybe'"),
                Arguments.of(new String[] {"--tls=self-signed", "--tls-key=k.pem"},
                        "--tls self-signed makes its own certificate: drop --tls-cert and --tls-key"),
                Arguments.of(new String[] {"--tls=on"}, "--tls on needs --tls-cert FILE and --tls-key FILE"),
                Arguments.of(new String[] {"--tls-cert=c.pem"}, "TLS needs both --tls-cert and --tls-key"),
                Arguments.of(new String[] {"--tls-cert=/nonexistent/c.pem", "--tls-key=/nonexistent/k.pem"},
                        "--tls-cert: cannot read /nonexistent/c.pem"),
                Arguments.of(new String[] {"--max-inflight=0"}, "--max-inflight must be at least 1"),
                Arguments.of(new String[] {"--max-connections=0"}, "--max-connections must be at least 1"),
                Arguments.of(new String[] {"--max-streams=0"}, "--max-streams must be from 1 to 10000, got 0"),
                Arguments.of(new String[] {"--max-header=255"}, "--max-header must be at least 256 bytes"),
                Arguments.of(new String[] {"--idle-timeout=0s"}, "--idle-timeout must be positive"),
                Arguments.of(new String[] {"--request-timeout=0ms"}, "--request-timeout must be positive"),
                Arguments.of(new String[] {"--upstream=ftp://files"},
                        "--upstream must be an http:// or https://host[:port] URL, got 'ftp://files'"),
                Arguments.of(new String[] {"--upstream-ca=/nonexistent/ca.pem"}, "--upstream-ca: cannot read /nonexistent/ca.pem"),
                Arguments.of(new String[] {"--fanout-deadline=0s"}, "--upstream-timeout and --fanout-deadline must be positive"),
                Arguments.of(new String[] {"--upstream-connections=0"}, "--upstream-connections must be at least 1"),
                Arguments.of(new String[] {"--smtp=mail.example.com"}, "--smtp must be host:port, got 'mail.example.com'"),
                Arguments.of(new String[] {"--email-concurrency=0"}, "--email-concurrency must be from 1 to 10000"),
                Arguments.of(new String[] {"--smtp-connections=0"}, "--smtp-connections must be at least 1"),
                Arguments.of(new String[] {"--smtp-timeout=0s"}, "--smtp-timeout must be positive"),
                Arguments.of(new String[] {"--email-max-attempts=0"}, "--email-max-attempts must be at least 1"),
                Arguments.of(new String[] {"--email-retry-base=0s"}, "--email-retry-base must be positive"),
                Arguments.of(new String[] {"--email-from=nobody"}, "--email-from must be an address, got 'nobody'"),
                Arguments.of(new String[] {"--job-lease=999ms"}, "--job-lease must be at least 1s"),
                Arguments.of(new String[] {"--job-retention=0s"}, "--job-retention must be positive"),
                Arguments.of(new String[] {"--jobs=mysql://db/jobs"},
                        "--jobs must be sqlite or " + pgUrl + ": expected " + pgUrl),
                Arguments.of(new String[] {"--db=mysql://db/world"},
                        "--db must be none, embedded or " + pgUrl + ": expected " + pgUrl),
                Arguments.of(new String[] {"--db-pool=0"}, "--db-pool must be from 1 to 1000, got 0"),
                Arguments.of(new String[] {"--db-pool-wait=249ms"}, "--db-pool-wait must be at least 250ms"),
                Arguments.of(new String[] {"--log-level=loud"},
                        "--log-level must be one of trace, debug, info, warn, error, off; got 'loud'"),
                Arguments.of(new String[] {"--log-format=xml"}, "--log-format must be text or json, got 'xml'"),
                Arguments.of(new String[] {"--access-log= "}, "--access-log must be stdout, off or a file"),
                Arguments.of(new String[] {"--blocked-threshold=9ms"}, "--blocked-threshold must be at least 10ms"));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void eachCheckSaysWhatWasExpected(String[] args, String message) {
        assertThatThrownBy(() -> ServerCommand.parse(args)).isInstanceOf(ParameterException.class).hasMessage(message);
    }

    @Test
    void helpShowsEachGroupAsASectionWithEveryDefaultAndEnvTwin() {
        String help = ServerCommand.newCommandLine(new ServerCommand()).getUsageMessage(Help.Ansi.OFF);

        assertThat(help).containsSubsequence("Execution model:", "--mode", "Listening:", "--port", "TLS:", "--tls",
                "Limits:", "--max-inflight", "Process and shutdown:", "--data-dir", "Upstream of /fanout:", "--upstream",
                "Email: POST /email and its jobs:", "--smtp", "Database of GET /db:", "--db", "Logging and diagnostics:",
                "--log-level", "Help:", "--help");
        assertThat(help).contains("Default: 8080; env PORT", "Default: empty; env UPSTREAM", "Default: 1m; env MAX_BODY",
                "Default: false; env DEBUG_ENDPOINTS", "Tomcat's maxThreads.");
        assertThat(help).doesNotContain("(env ", "Options:");
    }
}
