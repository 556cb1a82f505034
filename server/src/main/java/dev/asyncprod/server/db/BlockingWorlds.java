package dev.asyncprod.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.asyncprod.server.config.PostgresUrl;
import dev.asyncprod.server.http.Cancellation;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.TaskKind;
import dev.asyncprod.server.tasks.Wait;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.QueryExecutor;

/**
 * The blocking and virtual modes' database: pgjdbc through HikariCP, written as a Java team
 * writes it, the calling thread held for every query. A cancelled request (timeout, client gone)
 * sends PostgreSQL's cancel request for its statement from {@code db-cancel}, a thread of its own:
 * pgjdbc's {@code Statement.cancel} opens a connection, and the cancelling thread may be an event loop.
 */
public final class BlockingWorlds implements AutoCloseable {

    private static final String BY_ID = "SELECT id, randomnumber FROM world WHERE id = ?";

    private final HikariDataSource pool;
    private final ThreadPoolExecutor cancels;

    private final int size;

    private BlockingWorlds(HikariDataSource pool, int size) {
        this.pool = pool;
        this.size = size;
        this.cancels = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1_000), r -> {
            Thread t = new Thread(r, "db-cancel");
            t.setDaemon(true);
            return t;
        });
    }

    /** Ensures the table, then opens a HikariCP pool of {@code size}; a request waits at most {@code wait} for a connection. */
    public static BlockingWorlds open(PostgresUrl url, int size, Duration wait) throws IOException {
        WorldTable.ensure(url);
        HikariConfig c = new HikariConfig();
        c.setPoolName("db-pool");
        c.setJdbcUrl(url.jdbcUrl());
        Properties driver = url.driverProperties("asyncprod-db");
        driver.setProperty("socketTimeout", "75"); // past the longest /db/sleep (60 s), so only a dead peer trips it
        c.setDataSourceProperties(driver);
        c.setMaximumPoolSize(size);
        c.setConnectionTimeout(wait.toMillis());
        c.setValidationTimeout(Math.min(1_000, wait.toMillis() - 1));
        c.setInitializationFailTimeout(-1); // the table is there already; an outage later is a 503, not a failed start
        return new BlockingWorlds(new HikariDataSource(c), size);
    }

    public World one() {
        Task task = Task.current().child(TaskKind.QUERY, "SELECT world by id");
        Throwable failure = null;
        try (Connection db = connection(task); PreparedStatement q = db.prepareStatement(BY_ID);
             Task.Waiting query = task.block(QueryTasks.onBackend(pid(db)))) {
            return read(q, World.randomId());
        } catch (SQLException e) {
            failure = e;
            throw DbFailures.fromJdbc(e);
        } finally {
            QueryTasks.finish(task, failure);
        }
    }

    /** A pooled connection, the wait for it shown in the view as {@code task}'s. */
    private Connection connection(Task task) throws SQLException {
        try (Task.Waiting waiting = task.block(Wait.pool("database pool",
                () -> pool.getHikariPoolMXBean() == null ? 0 : pool.getHikariPoolMXBean().getActiveConnections(), size))) {
            return pool.getConnection();
        }
    }

    private static int pid(Connection db) throws SQLException {
        return db.unwrap(PGConnection.class).getBackendPID();
    }

    /** {@code n} random rows, one query after another on one connection, as naive JDBC code does. */
    public List<World> many(int n) {
        Task task = Task.current().child(TaskKind.QUERY, n + " x SELECT world by id, in turn");
        Throwable failure = null;
        try (Connection db = connection(task); PreparedStatement q = db.prepareStatement(BY_ID);
             Task.Waiting query = task.block(QueryTasks.onBackend(pid(db)))) {
            List<World> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(read(q, World.randomId()));
            }
            return rows;
        } catch (SQLException e) {
            failure = e;
            throw DbFailures.fromJdbc(e);
        } finally {
            QueryTasks.finish(task, failure);
        }
    }

    /**
     * {@code SELECT pg_sleep(ms / 1000)}, the thread and a pooled connection held for its length.
     * Cancelled with its request: closing the socket would not stop the query (PostgreSQL notices a
     * gone client only when it next writes), so PostgreSQL's cancel request goes out with the
     * connection's backend key, on a connection of its own.
     */
    public void sleep(long ms, Cancellation cancellation) {
        Task task = Task.current().child(TaskKind.QUERY, "SELECT pg_sleep(" + ms / 1000.0 + ")");
        Throwable failure = null;
        try (Connection db = connection(task); PreparedStatement q = db.prepareStatement("SELECT pg_sleep(?)");
             Task.Waiting query = task.block(QueryTasks.onBackend(pid(db)))) {
            q.setDouble(1, ms / 1000.0);
            // The executor, not the connection: its cancel still goes out after an interrupted virtual
            // thread's socket was closed and pgjdbc closed the connection with it.
            QueryExecutor backend = db.unwrap(BaseConnection.class).getQueryExecutor();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicReference<Future<?>> cancelSent = new AtomicReference<>();
            cancellation.onCancel(() -> {
                if (running.get()) { // decided here, on the cancelling thread, before an interrupt ends the wait
                    cancelSent.set(sendCancel(backend));
                }
            });
            try {
                q.execute();
            } finally {
                running.set(false);
                if (cancellation.isCancelled()) {
                    awaitQuietly(cancelSent.get()); // the cancel needs this connection's backend key: send it first
                    pool.evictConnection(db); // then no late cancel can reach the connection's next user
                }
            }
        } catch (SQLException e) {
            failure = e;
            throw DbFailures.fromJdbc(e);
        } finally {
            QueryTasks.finish(task, failure);
        }
    }

    private Future<?> sendCancel(QueryExecutor backend) {
        try {
            return cancels.submit(() -> {
                try {
                    backend.sendQueryCancel();
                } catch (SQLException e) {
                    // the database is gone: nothing left to cancel
                }
            });
        } catch (RejectedExecutionException e) {
            return null; // a thousand cancels waiting: the query ends by itself
        }
    }

    /** Waits a little for the cancel to go out, even on a thread its request's cancellation interrupted. */
    private static void awaitQuietly(Future<?> sent) {
        if (sent == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            sent.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (ExecutionException | TimeoutException e) {
            // not sent in time: the query ends by itself
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static World read(PreparedStatement q, int id) throws SQLException {
        q.setInt(1, id);
        try (ResultSet rs = q.executeQuery()) {
            rs.next();
            return new World(rs.getInt(1), rs.getInt(2));
        }
    }

    @Override
    public void close() {
        cancels.shutdown();
        pool.close();
    }
}
