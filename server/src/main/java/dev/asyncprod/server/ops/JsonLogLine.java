package dev.asyncprod.server.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One log line as a JSON object, the shape every line of {@code --log-format json} has, so a log
 * shipper parses them all alike: {@code timestamp} (UTC, ISO-8601, milliseconds), {@code level},
 * {@code logger}, {@code thread}, {@code message}, then the line's own fields (the request's ids,
 * the access log's method, path, status ...). Not thread-safe: one per writing thread.
 */
final class JsonLogLine {

    /** One object per line, nothing between them: Jackson would put a space before every object after the first. */
    private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator(null);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final JsonGenerator out;

    JsonLogLine(OutputStream target) throws IOException {
        this.out = JSON.createGenerator(target);
    }

    JsonLogLine begin(long epochMillis, String level, String logger, String thread, String message) throws IOException {
        out.writeStartObject();
        out.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(epochMillis)));
        out.writeStringField("level", level);
        out.writeStringField("logger", logger);
        out.writeStringField("thread", thread);
        out.writeStringField("message", message);
        return this;
    }

    /** A field; a null value is left out. */
    JsonLogLine field(String name, String value) throws IOException {
        if (value != null) {
            out.writeStringField(name, value);
        }
        return this;
    }

    JsonLogLine field(String name, long value) throws IOException {
        out.writeNumberField(name, value);
        return this;
    }

    JsonLogLine field(String name, double value) throws IOException {
        out.writeNumberField(name, value);
        return this;
    }

    /** Ends the object and the line, and hands the bytes to the target. */
    void end() throws IOException {
        out.writeEndObject();
        out.writeRaw('\n');
        out.flush();
    }
}
