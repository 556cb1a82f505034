package dev.asyncprod.server.db;

/** The server was started without a database ({@code --db none}): the {@code /db} routes answer 503 saying how to enable them. */
public final class DatabaseNotConfiguredException extends RuntimeException {

    public DatabaseNotConfiguredException() {
        super("no database: start the server with --db postgresql://user@host:port/database, or --db embedded"
                + " (what ./serve does) for a throw-away PostgreSQL from the machine's binaries");
    }
}
