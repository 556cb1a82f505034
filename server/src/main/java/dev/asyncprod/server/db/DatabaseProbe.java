package dev.asyncprod.server.db;

import dev.asyncprod.base.Causes;
import dev.asyncprod.server.config.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether the database answers, for readiness, without touching the pool the requests use (an
 * exhausted pool is a 503 per request, not a reason to leave the balancer): one connection of its
 * own on a thread of its own, {@code db-probe}, checked every {@link #EVERY_SECONDS} seconds and
 * opened again when it fails. Readiness reads the last answer and never waits.
 */
final class DatabaseProbe implements AutoCloseable {

    /** Twice in Kubernetes' default 10 s probe period: readiness is never more than one period stale. */
    static final int EVERY_SECONDS = 5;

    private final PostgresUrl url;
    private final Thread thread;
    private volatile String unreachable; // why the last check failed, or null
    private volatile boolean closed;

    DatabaseProbe(PostgresUrl url) {
        this.url = url;
        this.thread = new Thread(this::run, "db-probe");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Empty while the last check passed. */
    Optional<String> unreachable() {
        return Optional.ofNullable(unreachable);
    }

    private void run() {
        Connection db = null;
        while (!closed) {
            try {
                if (db == null || !db.isValid(2)) {
                    closeQuietly(db);
                    db = DriverManager.getConnection(url.jdbcUrl(), url.driverProperties("asyncprod-db-probe"));
                }
                unreachable = null;
            } catch (SQLException e) {
                closeQuietly(db);
                db = null;
                unreachable = "the database is unreachable: " + Causes.rootMessage(e);
            }
            try {
                TimeUnit.SECONDS.sleep(EVERY_SECONDS);
            } catch (InterruptedException e) {
                break;
            }
        }
        closeQuietly(db);
    }

    private static void closeQuietly(Connection db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException e) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
