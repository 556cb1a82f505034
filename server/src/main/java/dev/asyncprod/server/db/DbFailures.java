package dev.asyncprod.server.db;

import dev.asyncprod.base.Causes;
import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CancellationException;

/**
 * What a driver's failure means to a request: the database unreachable or the pool exhausted is
 * {@link DatabaseUnavailableException} (503, retry); a query cancelled because the request was
 * (timeout, client gone) is a {@link CancellationException}; anything else is a fault of this code
 * and stays as it is (500).
 */
final class DbFailures {

    /** SQLSTATE 57014: the query was cancelled, by our own cancel request. */
    private static final String QUERY_CANCELED = "57014";

    private DbFailures() {
    }

    /** For pgjdbc and HikariCP. */
    static RuntimeException fromJdbc(SQLException e) {
        if (QUERY_CANCELED.equals(e.getSQLState())) {
            return cancelled(e);
        }
        if (e instanceof SQLTransientConnectionException || isUnavailableState(e.getSQLState())) {
            return new DatabaseUnavailableException("the database is unavailable: " + Causes.rootMessage(e), e);
        }
        return new IllegalStateException("database query failed: " + e.getMessage(), e);
    }

    /**
     * For Vert.x's client: a server error carries its SQLSTATE; every other failure it reports is
     * of the connection or the pool (refused, closed, timed out waiting for a connection).
     */
    static Throwable fromVertx(Throwable failure) {
        Throwable e = Causes.unwrap(failure);
        if (e instanceof PgException pg) {
            if (QUERY_CANCELED.equals(pg.getSqlState())) {
                return cancelled(pg);
            }
            return isUnavailableState(pg.getSqlState())
                    ? new DatabaseUnavailableException("the database is unavailable: " + pg.getMessage(), pg)
                    : new IllegalStateException("database query failed: " + pg.getMessage(), pg);
        }
        if (e instanceof DatabaseUnavailableException || e instanceof CancellationException) {
            return e;
        }
        return new DatabaseUnavailableException("the database is unavailable: " + Causes.rootMessage(e), e);
    }

    /** 08: connection exception; 53: insufficient resources (too many connections); 57P0x: shutting down. */
    private static boolean isUnavailableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P0"));
    }

    private static CancellationException cancelled(Throwable cause) {
        CancellationException c = new CancellationException("the query was cancelled with its request");
        c.initCause(cause);
        return c;
    }
}
