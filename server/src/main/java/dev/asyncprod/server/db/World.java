package dev.asyncprod.server.db;

import java.util.concurrent.ThreadLocalRandom;

/** One row of TechEmpower's {@code world} table, and how a request picks one. */
public record World(int id, int randomNumber) {

    /** Rows in the table: ids 1 to 10,000. */
    public static final int ROWS = 10_000;

    static int randomId() {
        return ThreadLocalRandom.current().nextInt(1, ROWS + 1);
    }
}
