package dev.asyncprod.server.config;

import dev.asyncprod.common.cli.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags of the database {@code GET /db} reads. */
final class DbOptions implements OptionGroup {

    @Option(names = "--db", defaultValue = "${env:DB:-none}",
            description = "The database of GET /db: none (the routes answer 503), embedded (a throw-away PostgreSQL"
                    + " from the machine's binaries, started and stopped with the server; ./serve's default where they"
                    + " are installed) or postgresql://user[:password]@host[:port]/database.")
    String db;

    @Option(names = "--db-pool", defaultValue = "${env:DB_POOL:-10}",
            description = "Database connections at most, the same bound in every mode, so a comparison is fair. The"
                    + " default is HikariCP's maximumPoolSize.")
    int dbPool;

    @Option(names = "--db-pool-wait", defaultValue = "${env:DB_POOL_WAIT:-2s}", converter = DurationConverter.class,
            description = "How long a request may wait for a free database connection; then 503. The default is a fast"
                    + " 503: HikariCP's own 30 s would hold a request far past any client's patience.")
    Duration dbPoolWait;

    @Override
    public String heading() {
        return "Database of GET /db";
    }

    DbConfig toConfig(FlagCheck check) {
        check.require(dbPool >= 1 && dbPool <= 1_000, "--db-pool must be from 1 to 1000, got " + dbPool);
        check.require(dbPoolWait.toMillis() >= 250, "--db-pool-wait must be at least 250ms");
        String value = db.strip();
        if (value.equalsIgnoreCase("none") || value.isEmpty()) {
            return new DbConfig(null, false, dbPool, dbPoolWait);
        }
        if (value.equalsIgnoreCase("embedded")) {
            return new DbConfig(null, true, dbPool, dbPoolWait);
        }
        try {
            return new DbConfig(PostgresUrl.parse(value), false, dbPool, dbPoolWait);
        } catch (IllegalArgumentException e) {
            throw check.failure("--db must be none, embedded or postgresql://user[:password]@host[:port]/database: "
                    + e.getMessage());
        }
    }
}
