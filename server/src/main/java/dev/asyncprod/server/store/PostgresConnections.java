package dev.asyncprod.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.asyncprod.base.Causes;
import dev.asyncprod.server.config.PostgresUrl;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the PostgreSQL store's connections come from: a HikariCP pool for the writer and the
 * readers, and connections of their own for the listener (a LISTEN lives as long as its session).
 * Opening checks that the database answers and brings its schema up to date.
 */
final class PostgresConnections implements AutoCloseable {

    private final PostgresUrl url;
    private final HikariDataSource pool;

    private PostgresConnections(PostgresUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
    }

    /**
     * Connects and migrates the schema.
     *
     * @throws IOException with a one-line reason when the database cannot be reached or migrated
     */
    static PostgresConnections open(PostgresUrl url) throws IOException {
        // One plain connection first: an unreachable database is then one line, not the pool's stack trace.
        try (Connection probe = DriverManager.getConnection(url.jdbcUrl(), url.driverProperties("asyncprod-jobs"))) {
            probe.isValid(2);
        } catch (SQLException e) {
            throw new IOException("cannot reach the job store " + url + ": " + Causes.rootMessage(e), e);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(url));
        } catch (RuntimeException e) {
            throw new IOException("cannot reach the job store " + url + ": " + Causes.rootMessage(e), e);
        }
        try {
            Migrations.migrate(pool, "postgresql", "0");
        } catch (RuntimeException e) {
            pool.close();
            throw new IOException("cannot migrate the job store " + url + ": " + Causes.rootMessage(e), e);
        }
        return new PostgresConnections(url, pool);
    }

    /**
     * HikariCP with its default size (10: the writer, the readers, room to spare), but fast to give
     * up: a request must get its 503 within a second, not after Hikari's default 30 s.
     */
    private static HikariConfig poolConfig(PostgresUrl url) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("job-store-pool");
        c.setJdbcUrl(url.jdbcUrl());
        c.setDataSourceProperties(url.driverProperties("asyncprod-jobs"));
        c.setConnectionTimeout(1_000);
        c.setValidationTimeout(500);
        c.setInitializationFailTimeout(2_000); // unreachable at start: fail the start, do not limp on
        return c;
    }

    /** A connection from the pool; closing it gives it back. */
    Connection pooled() throws SQLException {
        return pool.getConnection();
    }

    /** A connection outside the pool, for the listener, which holds it for as long as it listens. */
    Connection forListening() throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.driverProperties("asyncprod-jobs-listen"));
    }

    /** Whether the pool hands out a connection that answers, within about a second. */
    boolean poolAnswers() {
        try (Connection db = pool.getConnection()) {
            return db.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    PostgresUrl url() {
        return url;
    }

    @Override
    public void close() {
        pool.close();
    }
}
