package dev.asyncprod.server.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the server prints once it listens, whatever the log level: aligned {@code key: value}
 * lines in text mode; in JSON mode one JSON line with them as fields, so that every line of the
 * output parses. Scripts find the port on the {@code listening} line (or field).
 */
public final class Banner {

    private Banner() {
    }

    /** @param fields in the order shown; {@code listening} among them */
    public static void print(PrintStream out, String format, Map<String, String> fields) {
        if ("json".equals(format)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                JsonLogLine line = new JsonLogLine(bytes).begin(System.currentTimeMillis(), "INFO", "banner",
                        Thread.currentThread().getName(), "ready on " + fields.get("ready"));
                for (Map.Entry<String, String> f : fields.entrySet()) {
                    line.field(f.getKey().replace(' ', '_'), f.getValue());
                }
                line.end();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.print(bytes.toString(StandardCharsets.UTF_8));
        } else {
            fields.forEach((key, value) -> out.println(String.format("%-13s%s", key + ":", value)));
        }
        out.flush();
    }
}
