package dev.asyncprod.server.db;

import dev.asyncprod.server.config.PostgresUrl;
import dev.asyncprod.server.http.Cancellation;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.Wait;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The async mode's database: Vert.x's PostgreSQL client, non-blocking on Netty. No thread waits
 * while a query runs; a future completes on one of the client's event loops and the transport
 * writes the answer on the request's own. Vert.x cannot run on the server's event loops (it builds
 * its own from its options), so it adds {@code eventLoops} threads named
 * {@code vert.x-eventloop-thread-N}, plus its blocked-thread checker.
 */
public final class AsyncWorlds implements AutoCloseable {

    private static final String BY_ID = "SELECT id, randomnumber FROM world WHERE id = $1";

    private final Vertx vertx;
    private final Pool pool;
    private final PreparedQuery<RowSet<Row>> byId;

    private final int size;

    private AsyncWorlds(Vertx vertx, Pool pool, int size) {
        this.size = size;
        this.vertx = vertx;
        this.pool = pool;
        this.byId = pool.preparedQuery(BY_ID);
    }

    /**
     * Ensures the table, then opens a pool of at most {@code size} connections; a request that
     * waits longer than {@code wait} for one fails with {@link DatabaseUnavailableException}.
     */
    public static AsyncWorlds open(PostgresUrl url, int size, Duration wait, int eventLoops) throws IOException {
        WorldTable.ensure(url);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(true));
        PgConnectOptions connect = new PgConnectOptions().setHost(url.host()).setPort(url.port())
                .setDatabase(url.database()).setUser(url.user())
                // Vert.x's default pipelining limit: /db?queries=N sends them all on one connection at once.
                .setPipeliningLimit(PgConnectOptions.DEFAULT_PIPELINING_LIMIT)
                .setCachePreparedStatements(true);
        PoolOptions options = new PoolOptions().setMaxSize(size).setName("db-pool")
                .setConnectionTimeout((int) wait.toMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                // Bounded like the JDBC side: at most this many requests wait for a connection; more fail at once.
                .setMaxWaitQueueSize(size * 100);
        if (url.password() != null) {
            connect.setPassword(url.password());
        }
        // A connect fails within two seconds, as the JDBC side's: an outage is a fast 503.
        NetClientOptions net = new NetClientOptions().setConnectTimeout(2_000);
        Pool pool = PgBuilder.pool().with(options).with(net).connectingTo(connect).using(vertx).build();
        return new AsyncWorlds(vertx, pool, size);
    }

    /** One random row. */
    public CompletableFuture<World> one() {
        // The pool takes a connection inside execute: the view sees the query, not which backend runs it.
        Task query = QueryTasks.awaitingPool("SELECT world by id", Wait.on("database pool (" + size + " connections), then the query"));
        return QueryTasks.finishWith(query, complete(byId.execute(Tuple.of(World.randomId())).map(AsyncWorlds::first)));
    }

    /** {@code n} random rows, the queries sent at once on one connection (pipelined), answered in order. */
    public CompletableFuture<List<World>> many(int n) {
        Task task = QueryTasks.awaitingPool(n + " x SELECT world by id, pipelined", poolWait());
        return QueryTasks.finishWith(task, complete(pool.withConnection(connection -> {
            task.awaiting(QueryTasks.onBackend(PgConnection.cast(connection).processId()));
            PreparedQuery<RowSet<Row>> query = connection.preparedQuery(BY_ID);
            List<Future<World>> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(query.execute(Tuple.of(World.randomId())).map(AsyncWorlds::first));
            }
            return Future.all(rows).map(all -> rows.stream().map(Future::result).toList());
        })));
    }

    /**
     * {@code SELECT pg_sleep(ms / 1000)}: a wait inside the database that holds a pooled
     * connection for its length. When the request is cancelled, PostgreSQL's cancel request stops
     * the query in the database, not only the answer.
     */
    public CompletableFuture<Void> sleep(long ms, Cancellation cancellation) {
        Task task = QueryTasks.awaitingPool("SELECT pg_sleep(" + ms / 1000.0 + ")", poolWait());
        return QueryTasks.finishWith(task, complete(pool.getConnection().compose(connection -> {
            task.awaiting(QueryTasks.onBackend(PgConnection.cast(connection).processId()));
            Future<Void> slept = connection.preparedQuery("SELECT pg_sleep($1)").execute(Tuple.of(ms / 1000.0))
                    .<Void>mapEmpty();
            cancellation.onCancel(() -> {
                if (!slept.isComplete()) {
                    PgConnection.cast(connection).cancelRequest();
                }
            });
            return slept.eventually(connection::close);
        })));
    }

    /** The Vert.x pool keeps no count of connections in use: the view names the pool and its size. */
    private Wait poolWait() {
        return Wait.on("database pool (" + size + " connections)");
    }

    private static World first(RowSet<Row> rows) {
        Row row = rows.iterator().next();
        return new World(row.getInteger(0), row.getInteger(1));
    }

    private static <T> CompletableFuture<T> complete(Future<T> future) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.onComplete(value -> result.complete(value), failure -> result.completeExceptionally(DbFailures.fromVertx(failure)));
        return result;
    }

    @Override
    public void close() {
        try {
            pool.close().await(5, TimeUnit.SECONDS);
            vertx.close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing: the threads are daemons and go with the process
        }
    }
}
