package dev.asyncprod.server.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job stores' schemas, versioned by Flyway from the SQL files under {@code db/jobs/<kind>}.
 * Every replica runs this at start; Flyway's lock on its history table lets one migrate while the
 * others wait, so replicas started together do not race.
 */
final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /**
     * Brings the schema up to date. A database that has tables but no history of this store's
     * schema starts its history at {@code baseline}: 1 for a SQLite file made before Flyway (its
     * table is V1), 0 for a PostgreSQL database that holds other tables (so V1 still runs).
     */
    static void migrate(DataSource database, String kind, String baseline) {
        MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(database)
                .locations("classpath:db/jobs/" + kind)
                .table("job_store_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion(baseline)
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            log.info("job store schema migrated to version {} ({} migrations)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }
}
