package dev.asyncprod.load.reference;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The reference's {@code /db}: the same driver the service's async mode uses (Vert.x's PostgreSQL
 * client, the same pool size and pipelining), one random {@code world} row, and nothing else.
 */
final class ReferenceDb implements AutoCloseable {

    private final Vertx vertx;
    private final Pool pool;
    private final PreparedQuery<RowSet<Row>> byId;

    /** {@code url}: {@code postgresql://user@host:port/database}; the table is made as the service makes it, if absent. */
    ReferenceDb(URI url, int poolSize, int eventLoops) throws Exception {
        String[] user = url.getUserInfo().split(":", 2);
        PgConnectOptions connect = new PgConnectOptions().setHost(url.getHost()).setPort(url.getPort())
                .setDatabase(url.getPath().substring(1)).setUser(user[0])
                .setPipeliningLimit(PgConnectOptions.DEFAULT_PIPELINING_LIMIT).setCachePreparedStatements(true);
        if (user.length == 2) {
            connect.setPassword(user[1]);
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(true));
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize)).connectingTo(connect).using(vertx).build();
        pool.query("CREATE TABLE IF NOT EXISTS world (id integer PRIMARY KEY, randomnumber integer NOT NULL)").execute()
                .compose(done -> pool.query("INSERT INTO world (id, randomnumber) SELECT g, 1 + floor(random() * 10000)::integer"
                        + " FROM generate_series(1, 10000) AS g ON CONFLICT (id) DO NOTHING").execute())
                .await(30, TimeUnit.SECONDS);
        byId = pool.preparedQuery("SELECT id, randomnumber FROM world WHERE id = $1");
    }

    /** One random row as TechEmpower's JSON. */
    Future<byte[]> randomRow() {
        return byId.execute(Tuple.of(ThreadLocalRandom.current().nextInt(1, 10_001))).map(rows -> {
            Row row = rows.iterator().next();
            return ("{\"id\":" + row.getInteger(0) + ",\"randomNumber\":" + row.getInteger(1) + "}").getBytes();
        });
    }

    @Override
    public void close() throws Exception {
        pool.close().await(5, TimeUnit.SECONDS);
        vertx.close().await(5, TimeUnit.SECONDS);
    }
}
