package dev.asyncprod.server.db;

import dev.asyncprod.common.process.PostgresCluster;
import dev.asyncprod.server.config.DbConfig;
import dev.asyncprod.server.config.PostgresUrl;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database room's door: the {@code world} table through the driver the mode needs. Async
 * bodies get {@link AsyncWorlds} (Vert.x, non-blocking); blocking and virtual bodies get
 * {@link BlockingWorlds} (pgjdbc, HikariCP). Only the one the execution model runs is opened, so a
 * mode pays for no other's threads. With {@code --db embedded}, it starts (and at close stops) a
 * throw-away PostgreSQL first.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final AsyncWorlds async;
    private final BlockingWorlds blocking;
    private final PostgresCluster embedded;
    private final DatabaseProbe probe;
    private final String description;

    private Database(AsyncWorlds async, BlockingWorlds blocking, PostgresCluster embedded, DatabaseProbe probe,
                     String description) {
        this.async = async;
        this.blocking = blocking;
        this.embedded = embedded;
        this.probe = probe;
        this.description = description;
    }

    public static Database none() {
        return new Database(null, null, null, null, "none (start with --db postgresql://... or --db embedded)");
    }

    /**
     * Opens what {@code config} names.
     *
     * @param blockingBodies whether the execution model runs blocking bodies (blocking, virtual)
     * @param eventLoops     the async driver's own event loops
     * @throws IOException with a one-line reason when the database cannot be reached or started
     */
    public static Database open(DbConfig config, boolean blockingBodies, int eventLoops) throws IOException {
        if (!config.enabled()) {
            return none();
        }
        PostgresCluster embedded = null;
        PostgresUrl url = config.url();
        try {
            if (config.embedded()) {
                String why = PostgresCluster.unavailableReason().orElse(null);
                if (why != null) {
                    throw new IOException("--db embedded needs PostgreSQL's server binaries: " + why);
                }
                embedded = PostgresCluster.create();
                embedded.createDatabase("asyncprod");
                url = PostgresUrl.parse(embedded.url("asyncprod"));
                log.info("embedded PostgreSQL on 127.0.0.1:{}, thrown away at shutdown (--db postgresql://... for your own)",
                        embedded.port());
            }
            String pool = "pool " + config.pool() + ", wait " + config.poolWait().toMillis() + " ms";
            String where = url + " (" + (embedded != null ? "embedded, " : "");
            if (blockingBodies) {
                BlockingWorlds worlds = BlockingWorlds.open(url, config.pool(), config.poolWait());
                return new Database(null, worlds, embedded, new DatabaseProbe(url), where + "pgjdbc + HikariCP, " + pool + ")");
            }
            AsyncWorlds worlds = AsyncWorlds.open(url, config.pool(), config.poolWait(), eventLoops);
            return new Database(worlds, null, embedded, new DatabaseProbe(url), where + "vertx-pg-client, " + pool + ")");
        } catch (IOException | RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** For async bodies; fails with {@link DatabaseNotConfiguredException} when there is no database. */
    public AsyncWorlds async() {
        return Optional.ofNullable(async).orElseThrow(DatabaseNotConfiguredException::new);
    }

    /** For blocking bodies; fails with {@link DatabaseNotConfiguredException} when there is no database. */
    public BlockingWorlds blocking() {
        return Optional.ofNullable(blocking).orElseThrow(DatabaseNotConfiguredException::new);
    }

    /** For readiness: empty when there is no database or it answered its last check; else why not. */
    public Optional<String> unreachable() {
        return probe == null ? Optional.empty() : probe.unreachable();
    }

    /** Whether the server was started with a database. */
    public boolean configured() {
        return probe != null;
    }

    /** One line for the banner and {@code /info}. */
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.close();
        }
        if (async != null) {
            async.close();
        }
        if (blocking != null) {
            blocking.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
