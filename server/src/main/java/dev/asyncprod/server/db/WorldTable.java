package dev.asyncprod.server.db;

import dev.asyncprod.base.Causes;
import dev.asyncprod.server.config.PostgresUrl;
import java.io.IOException;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** Creates and fills the {@code world} table on first start (Flyway, {@code db/world}), before any driver opens. */
final class WorldTable {

    private WorldTable() {
    }

    static void ensure(PostgresUrl url) throws IOException {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(url.jdbcUrl());
        source.setUser(url.user());
        if (url.password() != null) {
            source.setPassword(url.password());
        }
        source.setConnectTimeout(2);
        try {
            Flyway.configure(WorldTable.class.getClassLoader()).dataSource(source)
                    .locations("classpath:db/world").table("world_schema_history")
                    // The database may hold other tables already (the job store's, say): start the history at 0.
                    .baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
        } catch (RuntimeException e) {
            throw new IOException("cannot reach the database " + url + ": " + Causes.rootMessage(e), e);
        }
    }
}
