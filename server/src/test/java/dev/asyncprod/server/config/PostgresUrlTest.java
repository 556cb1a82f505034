package dev.asyncprod.server.config;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = SECONDS)
class PostgresUrlTest {

    private static final String REQUIRED =
            "a host, a user and a database are required: postgresql://user[:password]@host[:port]/database";
    private static final String EXPECTED = "expected postgresql://user[:password]@host[:port]/database";

    @Test
    void readsEveryPartAsLibpqWritesThem() {
        PostgresUrl url = PostgresUrl.parse("postgresql://app:secret@db.internal:6543/world");

        assertThat(url).extracting(PostgresUrl::host, PostgresUrl::port, PostgresUrl::database, PostgresUrl::user,
                PostgresUrl::password).containsExactly("db.internal", 6543, "world", "app", "secret");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/world");
    }

    @Test
    void thePortDefaultsToLibpqsAndThePasswordMayBeLeftOut() {
        PostgresUrl url = PostgresUrl.parse("postgresql://app@localhost/world");

        assertThat(url.port()).isEqualTo(PostgresUrl.DEFAULT_PORT).isEqualTo(5432);
        assertThat(url.password()).isNull();
        assertThat(PostgresUrl.parse("postgresql://app@localhost:/world").port()).isEqualTo(5432);
    }

    @Test
    void takesBothSchemesAndSurroundingSpace() {
        assertThat(PostgresUrl.parse("  postgres://app@h/world \n").jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/world");
    }

    @Test
    void userAndPasswordArePercentDecodedAndThePasswordMayHoldColons() {
        PostgresUrl url = PostgresUrl.parse("postgresql://me%40corp:p%40ss:w+rd@h/world");

        assertThat(url.user()).isEqualTo("me@corp");
        assertThat(url.password()).isEqualTo("p@ss:w+rd"); // a plus is a plus, as libpq reads it, not a space
    }

    @Test
    void anIpv6HostIsBracketedOnceInTheJdbcUrl() {
        PostgresUrl url = PostgresUrl.parse("postgresql://app@[::1]:5433/world");

        assertThat(url.host()).isEqualTo("::1");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/world");
        assertThat(url).hasToString("postgresql://app@[::1]:5433/world");
    }

    @Test
    void thePasswordIsLeftOutOfItsTextButGivenToTheDriver() {
        PostgresUrl url = PostgresUrl.parse("postgresql://app:secret@db:5432/world");

        assertThat(url).hasToString("postgresql://app@db:5432/world");
        assertThat(url.toString()).doesNotContain("secret");
        Properties driver = url.driverProperties("asyncprod-test");
        assertThat(driver).containsEntry("user", "app").containsEntry("password", "secret")
                .containsEntry("ApplicationName", "asyncprod-test").containsEntry("connectTimeout", "2")
                .containsEntry("socketTimeout", "15").containsEntry("tcpKeepAlive", "true");
        assertThat(PostgresUrl.parse("postgresql://app@db/world").driverProperties("x")).doesNotContainKey("password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sqlite", "mysql://app@db/world", "POSTGRESQL://app@db/world", "jdbc:postgresql://db/world"})
    void anotherSchemeIsRejected(String text) {
        assertThatThrownBy(() -> PostgresUrl.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(EXPECTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://db/world",            // no user
        "postgresql://@db/world",           // an empty user
        "postgresql://:secret@db/world",    // a password without a user
        "postgresql://app@db",              // no database
        "postgresql://app@db/",             // an empty database
        "postgresql:///world",              // no host
        "postgresql://app@db:port/world",   // a port that is not a number leaves no host
        "postgresql://app@db_1/world",      // an underscore is not allowed in a host name (RFC 952), so no host
        "postgresql:app@db/world"})         // not hierarchical: no authority at all
    void aMissingPartIsRejected(String text) {
        assertThatThrownBy(() -> PostgresUrl.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(REQUIRED);
    }

    @Test
    void textThatIsNoUrlIsRejectedWithTheParsersReason() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://app user@db/world"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a URL: Illegal character in authority at index 16: postgresql://app user@db/world");
    }
}
