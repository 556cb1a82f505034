package dev.asyncprod.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.asyncprod.common.process.ServerJarProcess;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator as a CI pipeline runs it, against {@code server.jar} over TLS and HTTP/2:
 * {@code https://} with {@code --cacert} or {@code -k}, {@code --h2 -m} over ALPN and h2c, the JSON
 * result (schema version 2, counts by status), and the exit codes: 0, 99 for a broken
 * {@code --threshold}, 1 when every request failed, with the reason (an untrusted certificate).
 */
class TlsAndHttp2LoadIT {

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final Path SERVER_JAR = Path.of(System.getProperty("server.jar", "../server/target/server.jar"));
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static ServerJarProcess tls;
    static ServerJarProcess plain;

    @BeforeAll
    static void startServers() throws Exception {
        tls = ServerJarProcess.start(JAVA, SERVER_JAR, List.of("--tls=self-signed", "--access-log=off",
                "--data-dir=" + dir.resolve("tls")), dir.resolve("tls.log"), Duration.ofSeconds(60));
        plain = ServerJarProcess.start(JAVA, SERVER_JAR, List.of("--access-log=off", "--data-dir=" + dir.resolve("plain")),
                dir.resolve("plain.log"), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopServers() throws InterruptedException {
        tls.close();
        plain.close();
    }

    /** What one run of {@code load-tests.jar ARGS} printed and returned. */
    record Run(int exit, String output) {
    }

    static Run load(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = LoadMain.commandLine().execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    static String https(String path) {
        return "https://localhost:" + tls.port() + path;
    }

    static String certificate() {
        return dir.resolve("tls/tls/self-signed.pem").toString();
    }

    @Test
    void http11OverTlsCountsEveryAnswerByStatusInASchemaVersionedResult() throws Exception {
        Path json = dir.resolve("tls-h1.json");
        Run run = load("-c", "8", "-d", "2s", "-q", "--cacert", certificate(), "--json", json.toString(), https("/hello"));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("HTTP/1.1 over TLS", "errors: connect 0 tls 0 read 0 timeout 0 status 0");

        JsonNode result = JSON.readTree(json.toFile());
        assertThat(result.path("schema_version").asInt()).isEqualTo(2);
        assertThat(result.path("protocol").asText()).isEqualTo("http/1.1");
        assertThat(result.path("requests").asLong()).isPositive();
        assertThat(result.path("statuses").path("200").asLong()).isEqualTo(result.path("requests").asLong());
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("result.schema", "result.schema.json")))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        assertThat(schema.validate(result)).isEmpty();
    }

    @Test
    void http2MultiplexesStreamsOverAlpnAndOverH2c() throws Exception {
        Path json = dir.resolve("h2.json");
        Run overTls = load("--h2", "-m", "8", "-c", "4", "-d", "2s", "-q", "-k", "--json", json.toString(), https("/sleep?ms=500"));
        assertThat(overTls.exit()).as(overTls.output()).isZero();
        assertThat(overTls.output()).contains("HTTP/2 (TLS, ALPN h2), 8 streams per connection");
        JsonNode result = JSON.readTree(json.toFile());
        assertThat(result.path("protocol").asText()).isEqualTo("h2");
        assertThat(result.path("max_streams").asInt()).isEqualTo(8);
        // 32 streams waiting 500 ms each: in 2 s about 128 answers, where 4 connections carrying one
        // request at a time could give at most 16. Waits this long make the count about concurrency,
        // not about how fast a busy machine turns a request around.
        assertThat(result.path("requests").asLong()).as("answers in 2 s").isGreaterThan(4 * (2000 / 500));
        assertThat(result.path("errors").path("read").asLong()).isZero();

        Run h2c = load("--h2", "-m", "4", "-c", "2", "-d", "2s", "-q", "-X", "POST", "-H", "Content-Type: application/json",
                "-b", "{\"to\":\"load@example.com\",\"subject\":\"h2c\",\"body\":\"b\"}",
                "http://127.0.0.1:" + plain.port() + "/email");
        assertThat(h2c.exit()).as(h2c.output()).isZero();
        assertThat(h2c.output()).contains("HTTP/2 (h2c, prior knowledge)").containsPattern("statuses: 202 [1-9]");
    }

    @Test
    void thresholdsGateThePipeline() {
        Run held = load("-c", "4", "-d", "1s", "-q", "--threshold", "errors<1%", "--threshold", "rps>1",
                "http://127.0.0.1:" + plain.port() + "/hello");
        assertThat(held.exit()).as(held.output()).isZero();
        assertThat(held.output()).contains("threshold errors<1%: 0.000 %, ok", "threshold rps>1:");

        Run broken = load("-c", "4", "-d", "1s", "-q", "--threshold", "p99<1us", "http://127.0.0.1:" + plain.port() + "/sleep?ms=5");
        assertThat(broken.exit()).isEqualTo(LoadMain.EXIT_THRESHOLDS_BROKEN);
        assertThat(broken.output()).contains("threshold p99<1us:", "BROKEN");

        Run malformed = load("--threshold", "p99 fast", "http://127.0.0.1:" + plain.port() + "/hello");
        assertThat(malformed.exit()).isEqualTo(2);
    }

    @Test
    void aRunWhereEveryRequestFailsSaysWhyAndExitsNonZero() throws Exception {
        Run untrusted = load("-c", "2", "-d", "1s", "-q", https("/hello")); // the JDK's trust store: not this certificate
        assertThat(untrusted.exit()).isEqualTo(LoadMain.EXIT_ALL_FAILED);
        assertThat(untrusted.output()).containsPattern("errors: connect 0 tls [1-9]").contains("every request failed: ")
                .containsPattern("tls: .*(certification path|certificate)");

        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        Run refused = load("-c", "2", "-d", "1s", "-q", "http://127.0.0.1:" + free + "/hello");
        assertThat(refused.exit()).isEqualTo(LoadMain.EXIT_ALL_FAILED);

        // The server counted the handshakes it lost and goes on serving.
        Run after = load("-c", "2", "-d", "1s", "-q", "-k", https("/hello"));
        assertThat(after.exit()).isZero();
        List<String> log = new ArrayList<>(Files.readAllLines(dir.resolve("tls.log")));
        assertThat(log).anyMatch(line -> line.contains("TLS handshake with") && line.contains("failed"));
    }
}
