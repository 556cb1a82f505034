package dev.asyncprod.load.compare;

import java.util.List;

/**
 * One cell of the comparison matrix: a path under a load shape. The Little's-law bound says what
 * the model allows: a closed loop of {@code c} clients, each waiting {@code W} per request, can
 * reach at most {@code c / W} requests per second, and a blocking server can only have as many
 * requests in progress as it has threads.
 *
 * @param label            what is loaded, e.g. {@code sleep}
 * @param rate             open-model target rate, 0 for the closed model
 * @param concurrentWaitMs how long one request waits by design when its waits overlap (async, virtual); 0 if none
 * @param sequentialWaitMs the same when they run one after another (blocking)
 * @param database         whether the path reads the database, so needs a server started with one
 */
record Cell(String label, String path, int connections, double rate, long concurrentWaitMs, long sequentialWaitMs,
            boolean database) {

    static Cell closed(String label, String path, int connections, long concurrentWaitMs, long sequentialWaitMs) {
        return new Cell(label, path, connections, 0, concurrentWaitMs, sequentialWaitMs, false);
    }

    static Cell open(String label, String path, int connections, double rate, long waitMs) {
        return new Cell(label, path, connections, rate, waitMs, waitMs, false);
    }

    /** A database path; {@code waitMs} is its designed wait (pg_sleep), which holds a pooled connection, or 0. */
    static Cell database(String label, String path, int connections, long waitMs) {
        return new Cell(label, path, connections, 0, waitMs, waitMs, true);
    }

    /**
     * The cell's name, from its shape so it cannot say one thing and mean another: {@code -c1000}
     * is 1,000 connections in the closed model, {@code -r1800} a rate of 1,800 requests per second.
     */
    String name() {
        return label + (openModel() ? "-r" + Math.round(rate) : "-c" + connections);
    }

    /** Whether the bare Netty reference serves this path: it knows {@code /hello}, {@code /sleep} and {@code /db}, nothing else. */
    boolean servedByReference() {
        return path.startsWith("/hello") || path.startsWith("/sleep") || path.equals("/db");
    }

    /** A database path with a designed wait (pg_sleep) holds a pooled connection for it, so the pool bounds every mode. */
    boolean holdsConnection() {
        return database && concurrentWaitMs > 0;
    }

    boolean openModel() {
        return rate > 0;
    }

    /**
     * Requests per second the model allows this mode, or 0 when no wait bounds it ({@code /hello}).
     * Open model: the target rate, or the blocking pool's limit if that is lower. A wait that holds
     * a pooled connection is bounded by the pool too: {@code min(threads, pool) / wait} for
     * blocking, {@code pool / wait} for the others.
     */
    double bound(String mode, int blockingThreads, int dbPool) {
        long waitMs = mode.equals("blocking") ? sequentialWaitMs : concurrentWaitMs;
        if (waitMs == 0) {
            return 0;
        }
        double inProgress = mode.equals("blocking") ? Math.min(connections, blockingThreads) : connections;
        if (holdsConnection() && dbPool > 0) {
            inProgress = Math.min(inProgress, dbPool);
        }
        double closedBound = inProgress * 1000.0 / waitMs;
        return openModel() ? Math.min(rate, closedBound) : closedBound;
    }

    /** The default matrix: about 17 minutes for four modes at 15 s a cell. */
    static List<Cell> defaults() {
        return List.of(
                closed("hello", "/hello", 64, 0, 0),
                closed("sleep", "/sleep?ms=100", 100, 100, 100),
                closed("sleep", "/sleep?ms=100", 1000, 100, 100),
                closed("sleep", "/sleep?ms=100", 5000, 100, 100),
                closed("gather", "/gather?ms=50,100,200", 100, 200, 350),
                // 200 blocking threads / 0.1 s = 2,000 req/s: one rate just under that, one far above.
                open("sleep", "/sleep?ms=100", 1000, 1800, 100),
                open("sleep", "/sleep?ms=100", 2000, 6000, 100),
                // TechEmpower's single and multiple query tests, and a wait inside the database.
                database("db", "/db", 64, 0),
                database("queries20", "/db?queries=20", 64, 0),
                database("dbsleep", "/db/sleep?ms=50", 1000, 50));
    }

    /** A tiny matrix that exercises every kind of cell in seconds (tests, smoke runs). */
    static List<Cell> quick() {
        return List.of(
                closed("hello", "/hello", 8, 0, 0),
                closed("sleep", "/sleep?ms=20", 20, 20, 20),
                open("sleep", "/sleep?ms=20", 20, 200, 20),
                database("db", "/db", 8, 0),
                database("dbsleep", "/db/sleep?ms=20", 40, 20));
    }
}
