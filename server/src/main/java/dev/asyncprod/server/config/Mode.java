package dev.asyncprod.server.config;

import java.util.Locale;

/** The execution model that runs every work route. */
public enum Mode {
    ASYNC, BLOCKING, VIRTUAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
