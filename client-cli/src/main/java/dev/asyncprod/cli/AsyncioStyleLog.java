package dev.asyncprod.cli;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The log format of the asyncio example this project grew from (the {@code sleeper} coroutines of
 * Ebury's "EuroPython 2018: Asyncio learnings" post), so the demo reads line for line like it:
 * {@code logging.basicConfig(format='%(asctime)s %(message)s', datefmt='[%H:%M:%S]')}.
 */
final class AsyncioStyleLog {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("'['HH:mm:ss']'");

    private final PrintStream out;

    AsyncioStyleLog(PrintStream out) {
        this.out = out;
    }

    synchronized void info(String message) {
        out.println(LocalTime.now().format(STAMP) + " " + message);
        out.flush();
    }

    /** 2000 ms as the example writes delays: {@code 2s}; 1500 ms: {@code 1.5s}. */
    static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }
}
