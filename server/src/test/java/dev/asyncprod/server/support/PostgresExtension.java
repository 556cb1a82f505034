package dev.asyncprod.server.support;

import dev.asyncprod.common.process.PostgresCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for a test class: a throw-away cluster from the machine's binaries (see
 * {@link PostgresCluster}), started before the class and deleted after it. Where no PostgreSQL can
 * be had, the class is skipped and says why; {@code .ci/run} installs Debian's package so that on
 * this project's machines it always runs.
 *
 * <pre>{@code @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();}</pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private final AtomicInteger databases = new AtomicInteger();
    private PostgresCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        String why = PostgresCluster.unavailableReason().orElse(null);
        Assumptions.assumeTrue(why == null, () -> "skipped: no PostgreSQL here: " + why);
        cluster = PostgresCluster.create();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A new, empty database, for a test that wants a store of its own; returns its {@code postgresql://} URL. */
    public String newDatabase() {
        String name = "test_" + databases.incrementAndGet();
        try {
            cluster.createDatabase(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cluster.url(name);
    }

    /** The URL of a database that does not listen: a port nothing is bound to. */
    public static String unreachableUrl() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            return "postgresql://postgres@127.0.0.1:" + probe.getLocalPort() + "/none";
        }
    }

    /** Takes the server down cleanly (sessions cut off), as a database failover or restart does. */
    public void stop() throws IOException {
        cluster.stop();
    }

    public void start() throws IOException {
        cluster.start();
    }

    /** One number from a query, for assertions on what the database holds. */
    public long queryLong(String url, String sql) {
        String jdbc = "jdbc:" + url.replaceFirst("postgres@", "");
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", null);
             Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs a statement, for a test that sets up rows by hand. */
    public void execute(String url, String sql) {
        String jdbc = "jdbc:" + url.replaceFirst("postgres@", "");
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", null); Statement s = db.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
