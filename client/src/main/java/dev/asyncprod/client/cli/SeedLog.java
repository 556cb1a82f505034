package dev.asyncprod.client.cli;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** The seed's log format: {@code logging.basicConfig(format='%(asctime)s %(message)s', datefmt='[%H:%M:%S]')}. */
final class SeedLog {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("'['HH:mm:ss']'");

    private final PrintStream out;

    SeedLog(PrintStream out) {
        this.out = out;
    }

    synchronized void info(String message) {
        out.println(LocalTime.now().format(STAMP) + " " + message);
        out.flush();
    }

    /** 2000 ms as the seed writes delays: {@code 2s}; 1500 ms: {@code 1.5s}. */
    static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }
}
