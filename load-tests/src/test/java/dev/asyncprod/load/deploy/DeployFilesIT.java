package dev.asyncprod.load.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.base.testing.ChildProcess;
import dev.asyncprod.load.compare.ServerUnderTest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the deployment files promise, checked without a Docker engine: the image's HEALTHCHECK
 * command, run by bash against the built jar, passes while the server is up and fails once it is
 * gone; both compose files are valid for docker-compose v1 and the Prometheus configurations for
 * promtool, when those are installed.
 */
class DeployFilesIT {

    static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void healthcheckCommandPassesWhileTheServerIsUpAndFailsAfter(@TempDir Path data) throws Exception {
        List<String> healthcheck = healthcheckCommand();
        assertThat(healthcheck.get(0)).isEqualTo("bash"); // no curl needed in the image

        ServerUnderTest server = ServerUnderTest.start(JAVA, ROOT.resolve("server/target/server.jar"),
                data.resolve("server.log"), List.of("--data-dir", data.toString(), "--log-level", "warn"));
        try {
            assertThat(Files.readString(data.resolve("http.port")).strip()).isEqualTo(Integer.toString(server.uri("/").getPort()));
            assertThat(run(healthcheck, data)).isZero();
        } finally {
            server.close();
        }
        assertThat(run(healthcheck, data)).isNotZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker/compose.yaml", "docker/compose.bridge.yaml"})
    void composeFilesAreValidAndKeepTheLoadTestBehindAProfile(String file) throws Exception {
        assumeTrue(new File("/usr/bin/docker-compose").canExecute(), "docker-compose is not installed");
        ChildProcess.Outcome config = ChildProcess.run(new ProcessBuilder("docker-compose", "-f", file, "config", "-q")
                .directory(ROOT.toFile()), Duration.ofSeconds(60));
        assertThat(config.exit()).as(config.output()).isZero();
        // A bare `up` must not start the eight-minute comparison.
        assertThat(Files.readString(ROOT.resolve(file)))
                .containsPattern("(?m)^  loadtest:\\n(?:    .*\\n|\\s*\\n)*?    profiles: \\[\"loadtest\"]");
    }

    @Test
    void hostNetworkingStackRunsTheRollingRestartTestsNginxConf() throws Exception {
        // The load balancer runs the very nginx.conf that the rolling-restart test runs.
        assertThat(Files.readString(ROOT.resolve("docker/compose.yaml"))).contains("./nginx.conf:/etc/asyncprod/nginx.conf:ro");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker/prometheus.yml", "docker/prometheus.bridge.yml"})
    void prometheusConfigurationsPassPromtool(String file) throws Exception {
        assumeTrue(new File("/usr/bin/promtool").canExecute(), "promtool is not installed (apt-get install prometheus)");
        ChildProcess.Outcome check = ChildProcess.run(new ProcessBuilder("promtool", "check", "config", "--syntax-only", file)
                .directory(ROOT.toFile()), Duration.ofSeconds(60));
        assertThat(check.exit()).as(check.output()).isZero();
    }

    /** The exec-form CMD of the Dockerfile's HEALTHCHECK, as a list. */
    static List<String> healthcheckCommand() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile")).replace("\\\n", " ");
        Matcher m = Pattern.compile("(?m)^HEALTHCHECK .*?CMD (\\[.*])\\s*$").matcher(dockerfile);
        assertThat(m.find()).as("a HEALTHCHECK with an exec-form CMD").isTrue();
        return List.of(new ObjectMapper().readValue(m.group(1), String[].class));
    }

    private static int run(List<String> command, Path data) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("DATA_DIR", data.toString());
        pb.environment().put("PORT", "8080");
        ChildProcess.Outcome outcome = ChildProcess.run(pb, Duration.ofSeconds(30));
        assertThat(outcome.killed()).as(outcome.output()).isFalse();
        return outcome.exit();
    }
}
