package dev.asyncprod.server.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The execution model that runs every work route. */
public enum Mode {
    ASYNC, BLOCKING, VIRTUAL, VIRTUAL_LOOP;

    /** What flags, responses and logs call it: {@code async}, {@code blocking}, {@code virtual}, {@code virtual-loop}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The mode whose {@link #label()} is {@code value} (case and surrounding blanks ignored). */
    public static Optional<Mode> ofLabel(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.label().equals(wanted)).findFirst();
    }
}
