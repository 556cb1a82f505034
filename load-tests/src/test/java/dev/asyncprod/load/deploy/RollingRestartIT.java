package dev.asyncprod.load.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.asyncprod.base.testing.ChildProcess;
import dev.asyncprod.common.process.PostgresCluster;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scale-out without containers: {@code docker/rolling-restart.sh} puts nginx (from apt, with the
 * compose stack's own nginx.conf) in front of three server processes, sends load through it and
 * restarts the replicas one by one. No request may fail, and every replica must have served some
 * of the load before its restart. Again with the replicas sharing a PostgreSQL job store and email
 * jobs posted through nginx during the restarts: every accepted job is delivered. Skipped where
 * nginx (or, for the second, PostgreSQL) is not installed.
 */
class RollingRestartIT {

    private static final Pattern SERVED = Pattern.compile("replica (\\d+) had answered (\\d+) /sleep requests");

    private static final Pattern EMAILS = Pattern.compile("email jobs: (\\d+) accepted through nginx, (\\d+) stored, (\\d+) sent");

    @Test
    void restartingEveryReplicaUnderLoadFailsNoRequest() throws Exception {
        assertEveryReplicaServedAndNothingFailed(runScript(Map.of()));
    }

    @Test
    void restartingReplicasThatShareAPostgresJobStoreLosesNoAcceptedJob() throws Exception {
        String why = PostgresCluster.unavailableReason().orElse(null);
        assumeTrue(why == null, () -> "no PostgreSQL here: " + why);
        try (PostgresCluster postgres = PostgresCluster.create()) {
            postgres.createDatabase("rolling");
            String output = runScript(Map.of("JOBS", postgres.url("rolling")));
            assertEveryReplicaServedAndNothingFailed(output);
            Matcher emails = EMAILS.matcher(output);
            assertThat(emails.find()).as(output).isTrue();
            long accepted = Long.parseLong(emails.group(1));
            assertThat(accepted).isPositive();
            assertThat(Long.parseLong(emails.group(3))).as("sent").isEqualTo(Long.parseLong(emails.group(2)))
                    .isGreaterThanOrEqualTo(accepted);
        }
    }

    private static String runScript(Map<String, String> env) throws Exception {
        assumeTrue(onPath("nginx") || new File("/usr/sbin/nginx").canExecute(), "nginx is not installed (apt-get install nginx-light)");
        Path root = Path.of(System.getProperty("repo.root", ".."));
        ProcessBuilder builder = new ProcessBuilder("bash", "docker/rolling-restart.sh", "60").directory(root.toFile());
        builder.environment().putAll(env);
        ChildProcess.Outcome script = ChildProcess.run(builder, Duration.ofMinutes(4));
        System.out.println(script.output()); // the run's figures, kept in the failsafe report
        assertThat(script.exit()).as(script.output()).isZero();
        return script.output();
    }

    private static void assertEveryReplicaServedAndNothingFailed(String output) {
        assertThat(output).contains("zero failed requests across three rolling restarts");
        Matcher served = SERVED.matcher(output);
        int replicas = 0;
        while (served.find()) {
            replicas++;
            assertThat(Long.parseLong(served.group(2))).as("requests replica %s served", served.group(1)).isPositive();
        }
        assertThat(replicas).as(output).isEqualTo(3);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
