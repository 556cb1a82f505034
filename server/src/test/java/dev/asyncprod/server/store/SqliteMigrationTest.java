package dev.asyncprod.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.email.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A job store file made before Flyway (tables, no history) opens, keeps its jobs and gains the later migrations. */
@Timeout(value = 60, unit = SECONDS)
class SqliteMigrationTest {

    @Test
    void aStoreFromBeforeFlywayIsBaselinedAndMigrated() throws Exception {
        Path file = Files.createTempDirectory("asyncprod-migrate-").resolve("jobs.db");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = db.createStatement()) {
            // The schema as the first releases created it by hand, with one job left queued.
            s.execute(new String(getClass().getResourceAsStream("/db/jobs/sqlite/V1__jobs.sql").readAllBytes()));
            s.execute("INSERT INTO jobs VALUES ('0b3c6f1e-0000-4000-8000-000000000001', NULL, 'f', 'ana@example.com',"
                    + " 'Hi', 'Hello', 'queued', 0, 1, 1, 1, NULL)");
        }

        try (SqliteJobStore store = SqliteJobStore.open(file)) {
            assertThat(store.find("0b3c6f1e-0000-4000-8000-000000000001").get(30, SECONDS)).hasValueSatisfying(job ->
                    assertThat(job.status()).isEqualTo(JobStatus.QUEUED));
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = db.createStatement();
             ResultSet versions = s.executeQuery("SELECT version FROM job_store_schema_history ORDER BY installed_rank")) {
            StringBuilder applied = new StringBuilder();
            while (versions.next()) {
                applied.append(versions.getString(1)).append(' ');
            }
            assertThat(applied.toString().trim()).isEqualTo("1 2"); // baselined at 1, then V2 ran
            try (ResultSet index = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'jobs_finished'")) {
                assertThat(index.getInt(1)).isEqualTo(1);
            }
        }
    }
}
