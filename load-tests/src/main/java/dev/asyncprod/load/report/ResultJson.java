package dev.asyncprod.load.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.asyncprod.load.gen.ErrorKind;
import dev.asyncprod.load.gen.LoadResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --json} result; its schema is {@code load-tests/result.schema.json}, documented in the README. */
public final class ResultJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {
    }

    public static Map<String, Object> toMap(LoadResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", r.spec().url().toString());
        out.put("method", r.spec().method());
        out.put("model", r.spec().openModel() ? "open" : "closed");
        out.put("connections", r.spec().connections());
        out.put("threads", r.spec().threads());
        out.put("duration_s", r.durationSeconds());
        out.put("started_at", Instant.ofEpochMilli(r.startEpochMs()).toString());
        out.put("requests", r.requests());
        out.put("in_flight_at_end", r.inFlightAtEnd());
        out.put("rps", Math.round(r.rps() * 100) / 100.0);
        Map<String, Long> errors = new LinkedHashMap<>();
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind.key(), r.errors().get(kind));
        }
        out.put("errors", errors);
        out.put("latency_ms", Percentiles.millis(r.serviceTime()));
        out.put("warnings", Summary.warnings(r));
        if (r.spec().openModel()) {
            out.put("target_rate", r.spec().rate());
            out.put("corrected_latency_ms", Percentiles.millis(r.responseTime()));
            out.put("missed_schedule", r.missedSchedule());
        }
        return out;
    }

    public static void write(LoadResult r, Path file) throws IOException {
        JSON.writeValue(file.toFile(), toMap(r));
    }
}
