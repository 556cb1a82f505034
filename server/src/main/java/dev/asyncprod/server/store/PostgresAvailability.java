package dev.asyncprod.server.store;

import dev.asyncprod.base.Causes;
import dev.asyncprod.server.config.PostgresUrl;
import dev.asyncprod.server.email.StoreUnavailableException;
import java.io.EOFException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the PostgreSQL store can take work, as it last saw its database: reachable, unreachable
 * (and why), or closing. While the database is unreachable every call is refused at once (a 503
 * with {@code Retry-After}) instead of waiting on a pool that cannot connect; the first SQL failure
 * that says "outage" sets this, the listener clears it once the database answers again.
 */
final class PostgresAvailability {

    private static final Logger log = LoggerFactory.getLogger(PostgresAvailability.class);

    private final PostgresUrl database; // for log lines
    private volatile String down; // why the database is unreachable, or null
    private volatile boolean closing;

    PostgresAvailability(PostgresUrl database) {
        this.database = database;
    }

    /** What a call made now fails with at once while the database is unreachable; null while it is reachable. */
    StoreUnavailableException refusal() {
        String reason = down;
        return reason == null ? null : unreachable(reason);
    }

    boolean isDown() {
        return down != null;
    }

    /**
     * What a SQL failure means to a caller: an outage, which this notes (calls are refused from
     * now on) and which the caller answers 503; or a fault of this code, returned as it is (500).
     */
    Exception noteFailure(SQLException e) {
        if (isConnectionFailure(e)) {
            lost(e);
            return unreachable(Causes.rootMessage(e));
        }
        return e;
    }

    /** SQLSTATE class 08 (connection exception), 57P0x (the server shutting down), or no connection to be had. */
    static boolean isConnectionFailure(SQLException e) {
        return Causes.anyMatch(e, t -> t instanceof SQLTransientConnectionException || t instanceof SocketException
                || t instanceof EOFException || (t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))));
    }

    /** The database cannot be reached: said once an outage (not while closing), and every call refused until {@link #regained}. */
    void lost(SQLException e) {
        if (down == null && !closing) {
            log.warn("the job store {} is unreachable: {}; POST /email answers 503 until it is back", database,
                    Causes.rootMessage(e));
        }
        down = Causes.rootMessage(e);
    }

    /** The database answers again: calls are taken again. */
    void regained() {
        if (down != null) {
            log.info("the job store {} is reachable again", database);
        }
        down = null;
    }

    /** The store is closing: its threads stop, and an outage seen now is not worth a warning. */
    void closing() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    /** For readiness: why the store cannot take work, as far as the database is concerned; empty when it can. */
    Optional<String> unavailable() {
        if (closing) {
            return Optional.of("the job store is closed");
        }
        String reason = down;
        return reason == null ? Optional.empty() : Optional.of("PostgreSQL unreachable: " + reason);
    }

    private static StoreUnavailableException unreachable(String reason) {
        return new StoreUnavailableException("the job store (PostgreSQL) is unreachable: " + reason, 1);
    }
}
