package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncprod.base.testing.ChildProcess;
import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.ClientOptions;
import dev.asyncprod.client.ClientRequest;
import dev.asyncprod.client.ClientResponse;
import dev.asyncprod.client.ClientTls;
import dev.asyncprod.client.HttpClientException;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.CertificateFiles;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import dev.asyncprod.server.support.Tool;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP/2 and TLS as third-party clients speak them, in every mode: curl over h2c (prior knowledge
 * and {@code Upgrade}), over TLS with ALPN, h2load over both, the project's own client; the same
 * routes, errors and limits as over HTTP/1.1; TLS failures that say what went wrong on both sides
 * and leave the server serving.
 */
class Http2AndTlsTest {

    private static final String EMAIL = "{\"to\":\"h2@example.com\",\"subject\":\"over h2\",\"body\":\"hi\"}";

    @Nested
    class Cleartext {
        @RegisterExtension
        static final ServerExtension servers = ServerExtension.allModes();

        @ParameterizedTest
        @EnumSource(Mode.class)
        void curlWithPriorKnowledgeGetsTheSameAnswersOverHttp2(Mode mode) throws Exception {
            String base = "http://127.0.0.1:" + servers.port(mode);
            ChildProcess.Outcome hello = Tool.run("curl", "-sS", "-i", "--http2-prior-knowledge", base + "/hello");
            assertThat(hello.exit()).isZero();
            assertThat(hello.output()).startsWith("HTTP/2 200").contains("x-request-id: ").endsWith("hello");

            ChildProcess.Outcome bad = Tool.run("curl", "-sS", "-i", "--http2-prior-knowledge", base + "/sleep?ms=abc");
            assertThat(bad.output()).startsWith("HTTP/2 400").contains("content-type: application/problem+json",
                    "\"error\":\"bad_parameter\"");

            ChildProcess.Outcome missing = Tool.run("curl", "-sS", "-i", "--http2-prior-knowledge", base + "/nowhere");
            assertThat(missing.output()).startsWith("HTTP/2 404");

            ChildProcess.Outcome email = Tool.run("curl", "-sS", "-i", "--http2-prior-knowledge", "-H", "Content-Type: application/json",
                    "--data", EMAIL, base + "/email");
            assertThat(email.output()).startsWith("HTTP/2 202").contains("\"status\":\"queued\"");

            ChildProcess.Outcome sleeper = Tool.run("curl", "-sS", "--http2-prior-knowledge", base + "/gather?ms=200,500");
            assertThat(sleeper.output()).contains("\"tasks\"", "\"total_ms\"");
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void curlUpgradesAnHttp11ConnectionWithUpgradeH2c(Mode mode) throws Exception {
            ChildProcess.Outcome upgraded = Tool.run("curl", "-sS", "-i", "--http2", "http://127.0.0.1:" + servers.port(mode) + "/hello");
            assertThat(upgraded.exit()).isZero();
            assertThat(upgraded.output()).startsWith("HTTP/1.1 101").contains("upgrade: h2c", "HTTP/2 200").endsWith("hello");
        }

        @Test
        void h2loadMultiplexesStreamsAndEveryAnswerIsRight() throws Exception {
            String base = "http://127.0.0.1:" + servers.port(Mode.ASYNC);
            ChildProcess.Outcome run = Tool.run("h2load", "-n", "4000", "-c", "4", "-m", "20", base + "/hello");
            assertThat(run.exit()).isZero();
            assertThat(run.output()).contains("4000 succeeded, 0 failed, 0 errored", "4000 2xx");

            String metrics = Http.get(URI.create(base + "/metrics")).body();
            assertThat(metrics).containsPattern("http_server_connections_total\\{mode=\"async\",protocol=\"h2c\"} [1-9]")
                    .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/hello\"[^}]*} [1-9][0-9]{3}");
        }

        @Test
        void theClientLibraryMultiplexesOnOneConnection() throws Exception {
            try (AsyncHttpClient client = AsyncHttpClient.create(ClientOptions.defaults().withHttp2(true))) {
                URI sleep = URI.create("http://127.0.0.1:" + servers.port(Mode.VIRTUAL) + "/sleep?ms=300");
                // 20 at once, each sleeping 300 ms: one connection, all answered together.
                var answers = java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> client.send(ClientRequest.get(sleep).build())).toList();
                for (var answer : answers) {
                    assertThat(answer.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
                }
                assertThat(client.connectionsOpened()).as("one connection, twenty streams").isEqualTo(1);
            }
        }
    }

    @Nested
    class StreamCap {
        @RegisterExtension
        static final ServerExtension servers = ServerExtension.of(Mode.VIRTUAL, "--max-streams=8");

        @Test
        void streamsPastTheCapAreRefusedAndAClientThatHonoursSettingsWaitsInstead() throws Exception {
            String sleep = "http://127.0.0.1:" + servers.port(Mode.VIRTUAL) + "/sleep?ms=100";
            // h2load opens 50 streams before the server's SETTINGS can arrive: the ones past 8 are refused.
            ChildProcess.Outcome greedy = Tool.run("h2load", "-n", "100", "-c", "1", "-m", "50", sleep);
            assertThat(greedy.output()).containsPattern("[1-9][0-9]* failed");
            ChildProcess.Outcome within = Tool.run("h2load", "-n", "100", "-c", "1", "-m", "8", sleep);
            assertThat(within.output()).contains("100 succeeded, 0 failed");

            // The project's client waits for SETTINGS, then queues streams past the cap on its one connection.
            try (AsyncHttpClient client = AsyncHttpClient.create(ClientOptions.defaults().withHttp2(true))) {
                var answers = java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> client.send(ClientRequest.get(URI.create(sleep)).build())).toList();
                for (var answer : answers) {
                    assertThat(answer.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
                }
                assertThat(client.connectionsOpened()).as("one connection, twenty streams").isEqualTo(1);
            }
            assertThat(Http.get(URI.create(sleep)).statusCode()).as("still serving HTTP/1.1").isEqualTo(200);
        }
    }

    @Nested
    class WithCertificateFiles {
        private static final Path DIR = CertificateFiles.make("other.example");

        @RegisterExtension
        static final ServerExtension servers = ServerExtension.of(Mode.ASYNC,
                "--tls-cert=" + DIR.resolve("cert.pem"), "--tls-key=" + DIR.resolve("key.pem"), "--tls-provider=jdk");

        @Test
        void theCertificatesNameIsCheckedBySniAndHostnameVerification() throws Exception {
            int port = servers.port(Mode.ASYNC);
            String ca = DIR.resolve("cert.pem").toString();
            ChildProcess.Outcome byName = Tool.run("curl", "-sS", "--http2", "--cacert", ca, "--resolve",
                    "other.example:" + port + ":127.0.0.1", "https://other.example:" + port + "/hello");
            assertThat(byName.output()).isEqualTo("hello");

            ChildProcess.Outcome byAddress = Tool.run("curl", "-sS", "--cacert", ca, "https://127.0.0.1:" + port + "/hello");
            assertThat(byAddress.exit()).as("curl: the certificate does not name 127.0.0.1").isEqualTo(60);

            try (AsyncHttpClient client = AsyncHttpClient.create(ClientOptions.defaults().withTls(ClientTls.trusting(DIR.resolve("cert.pem"))))) {
                assertThatThrownBy(() -> join(client.send(ClientRequest.get(URI.create("https://127.0.0.1:" + port + "/hello")).build())))
                        .cause().isInstanceOf(HttpClientException.class).hasMessageContaining("TLS handshake failed")
                        .hasMessageContaining("127.0.0.1");
            }
            assertThat(Tool.run("curl", "-sS", "-k", "https://127.0.0.1:" + port + "/hello").output()).as("still serving")
                    .isEqualTo("hello");
        }
    }

    @Nested
    class OverTls {
        @RegisterExtension
        static final ServerExtension servers = ServerExtension.allModes("--tls=self-signed");

        private Path certificate(Mode mode) {
            return servers.server(mode).config().process().dataDir().resolve("tls/self-signed.pem");
        }

        private String base(Mode mode) {
            return "https://localhost:" + servers.port(mode);
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void alpnGivesHttp2AndHttp11ToClientsThatAskForThem(Mode mode) throws Exception {
            String ca = certificate(mode).toString();
            ChildProcess.Outcome h2 = Tool.run("curl", "-sS", "-i", "--http2", "--cacert", ca, base(mode) + "/hello");
            assertThat(h2.exit()).isZero();
            assertThat(h2.output()).startsWith("HTTP/2 200").endsWith("hello");

            ChildProcess.Outcome h1 = Tool.run("curl", "-sS", "-i", "--http1.1", "--cacert", ca, base(mode) + "/hello");
            assertThat(h1.output()).startsWith("HTTP/1.1 200").endsWith("hello");

            ChildProcess.Outcome email = Tool.run("curl", "-sS", "-i", "--http2", "--cacert", ca, "-H",
                    "Content-Type: application/json", "--data", EMAIL, base(mode) + "/email");
            assertThat(email.output()).startsWith("HTTP/2 202");
        }

        @Test
        void h2loadOverTlsGetsEveryAnswer() throws Exception {
            ChildProcess.Outcome run = Tool.run("h2load", "-n", "3000", "-c", "4", "-m", "10", base(Mode.ASYNC) + "/hello");
            assertThat(run.exit()).isZero();
            assertThat(run.output()).contains("Application protocol: h2", "3000 succeeded, 0 failed", "3000 2xx");
        }

        @Test
        void fanoutCallsItsHttpsSelf() throws Exception {
            ChildProcess.Outcome fanout = Tool.run("curl", "-sS", "--cacert", certificate(Mode.ASYNC).toString(),
                    base(Mode.ASYNC) + "/fanout?n=3&ms=20");
            assertThat(fanout.output()).contains("\"calls\":3", "\"failed\":0");
        }

        @Test
        void tlsFailuresAreClearOnBothSidesAndTheServerGoesOnServing() throws Exception {
            Mode mode = Mode.ASYNC;
            int port = servers.port(mode);
            String ca = certificate(mode).toString();

            ChildProcess.Outcome untrusted = Tool.run("curl", "-sS", base(mode) + "/hello");
            assertThat(untrusted.exit()).as("curl: peer certificate cannot be authenticated").isEqualTo(60);
            assertThat(untrusted.output()).contains("self-signed certificate");

            ChildProcess.Outcome wrongName = Tool.run("curl", "-sS", "--cacert", ca, "--resolve", "wrong.example:" + port + ":127.0.0.1",
                    "https://wrong.example:" + port + "/hello");
            assertThat(wrongName.exit()).isEqualTo(60);
            assertThat(wrongName.output()).contains("wrong.example");

            ChildProcess.Outcome plain = Tool.run("curl", "-sS", "-i", "http://127.0.0.1:" + port + "/hello");
            assertThat(plain.output()).startsWith("HTTP/1.1 400").contains("\"error\":\"https_required\"", "use https://");

            try (AsyncHttpClient client = AsyncHttpClient.create()) { // the JDK's trust store: not our certificate
                assertThatThrownBy(() -> join(client.send(ClientRequest.get(URI.create(base(mode) + "/hello")).build())))
                        .isInstanceOf(CompletionException.class).cause().isInstanceOf(HttpClientException.class)
                        .satisfies(e -> {
                            assertThat(((HttpClientException) e).kind()).isEqualTo(HttpClientException.Kind.TLS_FAILED);
                            assertThat(e.getMessage()).contains("TLS handshake failed");
                        });
            }
            try (AsyncHttpClient client = AsyncHttpClient.create(ClientOptions.defaults().withTls(ClientTls.trusting(certificate(mode))))) {
                ClientResponse fine = join(client.send(ClientRequest.get(URI.create(base(mode) + "/hello")).build()));
                assertThat(fine.status()).as("still serving").isEqualTo(200);
            }

            ChildProcess.Outcome metrics = Tool.run("curl", "-sS", "--cacert", ca, base(mode) + "/metrics");
            assertThat(metrics.output()).containsPattern("http_server_tls_handshake_failures_total\\{mode=\"async\"} [1-9]")
                    .containsPattern("http_server_tls_plaintext_requests_total\\{mode=\"async\"} [1-9]");
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void theClientLibrarySpeaksHttp2OverTls(Mode mode) throws Exception {
            ClientOptions h2 = ClientOptions.defaults().withTls(ClientTls.trusting(certificate(mode))).withHttp2(true);
            try (AsyncHttpClient client = AsyncHttpClient.create(h2)) {
                ClientResponse hello = client.send(ClientRequest.get(URI.create(base(mode) + "/hello")).build()).get(20, TimeUnit.SECONDS);
                assertThat(hello.status()).isEqualTo(200);
                assertThat(hello.bodyAsString()).isEqualTo("hello");
                ClientResponse bad = client.send(ClientRequest.get(URI.create(base(mode) + "/db?queries=0")).build()).get(20, TimeUnit.SECONDS);
                assertThat(bad.status()).isIn(400, 503); // 400 for the bound, 503 without a database: an answer either way
            }
        }
    }
}
