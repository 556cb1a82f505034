package dev.asyncprod.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.config.PostgresUrl;
import dev.asyncprod.server.email.StoreUnavailableException;
import java.io.EOFException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the shared store reads a SQL failure (an outage, answered 503 and refused at once until the
 * database is back, or a fault of the code, answered 500) and what it tells callers and readiness.
 */
@Timeout(value = 60, unit = SECONDS)
class PostgresAvailabilityTest {

    private final PostgresAvailability availability =
            new PostgresAvailability(new PostgresUrl("127.0.0.1", 5432, "jobs", "postgres", null));

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08006", "57P01", "57P02", "57P03"})
    void connectionAndShutdownStatesAreOutages(String sqlState) {
        assertThat(PostgresAvailability.isConnectionFailure(new SQLException("gone", sqlState))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "40001", "42P01", "57014"})
    void otherStatesAreNot(String sqlState) {
        // A unique violation, a serialisation failure, a missing table, a cancelled statement: the database answered.
        assertThat(PostgresAvailability.isConnectionFailure(new SQLException("no", sqlState))).isFalse();
    }

    @Test
    void noConnectionToBeHadOrALostSocketIsAnOutageWhereverItIsInTheChain() {
        assertThat(PostgresAvailability.isConnectionFailure(
                new SQLTransientConnectionException("job-store-pool - Connection is not available"))).isTrue();
        assertThat(PostgresAvailability.isConnectionFailure(
                new SQLException("I/O error", null, new SocketException("Connection reset")))).isTrue();
        assertThat(PostgresAvailability.isConnectionFailure(
                new SQLException("I/O error", null, new EOFException()))).isTrue();
        assertThat(PostgresAvailability.isConnectionFailure(new SQLException("no state"))).isFalse();
    }

    @Test
    void anOutageRefusesEveryCallAtOnceUntilTheDatabaseIsBack() {
        assertThat(availability.refusal()).isNull();
        assertThat(availability.unavailable()).isEmpty();

        Exception answer = availability.noteFailure(
                new SQLException("I/O error", "08006", new SocketException("Connection refused")));

        assertThat(answer).isInstanceOf(StoreUnavailableException.class)
                .hasMessage("the job store (PostgreSQL) is unreachable: Connection refused");
        assertThat(((StoreUnavailableException) answer).retryAfterSeconds()).isEqualTo(1);
        assertThat(availability.isDown()).isTrue();
        assertThat(availability.refusal()).hasMessage("the job store (PostgreSQL) is unreachable: Connection refused");
        assertThat(availability.unavailable()).hasValue("PostgreSQL unreachable: Connection refused");

        availability.regained();

        assertThat(availability.isDown()).isFalse();
        assertThat(availability.refusal()).isNull();
        assertThat(availability.unavailable()).isEmpty();
    }

    @Test
    void aFaultOfTheCodeIsReturnedAsItIsAndRefusesNothing() {
        SQLException bug = new SQLException("duplicate key value violates unique constraint", "23505");

        assertThat(availability.noteFailure(bug)).isSameAs(bug);
        assertThat(availability.isDown()).isFalse();
        assertThat(availability.refusal()).isNull();
    }

    @Test
    void theLatestReasonIsTheOneGiven() {
        availability.lost(new SQLException("first", "08001"));
        availability.lost(new SQLException("second", "08006"));

        assertThat(availability.unavailable()).hasValue("PostgreSQL unreachable: second");
    }

    @Test
    void aClosingStoreSaysSoWhateverTheDatabase() {
        availability.lost(new SQLException("Connection refused", "08001"));
        availability.closing();

        assertThat(availability.isClosing()).isTrue();
        assertThat(availability.unavailable()).hasValue("the job store is closed");
    }
}
