package dev.asyncprod.server.email;

import java.util.Locale;

/** Where a job is. {@code queued} also covers a job waiting for its next retry. */
public enum JobStatus {
    QUEUED, SENDING, SENT, FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
