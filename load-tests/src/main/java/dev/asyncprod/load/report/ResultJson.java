package dev.asyncprod.load.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.asyncprod.load.gen.ErrorKind;
import dev.asyncprod.load.gen.LoadResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code --json} result; its schema is {@code load-tests/result.schema.json}, documented in docs/load-generator.md. */
public final class ResultJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {
    }

    /**
     * The result's schema version: 2 added {@code protocol}, {@code max_streams}, {@code statuses},
     * {@code errors.tls}, {@code tls_failure} and {@code thresholds}. Readers check it before they read.
     */
    public static final int SCHEMA_VERSION = 2;

    public static Map<String, Object> toMap(LoadResult r) {
        return toMap(r, List.of());
    }

    public static Map<String, Object> toMap(LoadResult r, List<Threshold> thresholds) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schema_version", SCHEMA_VERSION);
        out.put("url", r.spec().url().toString());
        out.put("method", r.spec().method());
        out.put("model", r.spec().openModel() ? "open" : "closed");
        out.put("connections", r.spec().connections());
        out.put("threads", r.spec().threads());
        out.put("protocol", r.spec().http2() ? "h2" : "http/1.1");
        out.put("max_streams", r.spec().maxStreams());
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
        Map<String, Long> statuses = new LinkedHashMap<>();
        r.statuses().forEach((code, n) -> statuses.put(Integer.toString(code), n));
        out.put("statuses", statuses);
        if (r.tlsFailure() != null) {
            out.put("tls_failure", r.tlsFailure());
        }
        out.put("latency_ms", Percentiles.millis(r.serviceTime()));
        out.put("warnings", Summary.warnings(r));
        if (r.spec().openModel()) {
            out.put("target_rate", r.spec().rate());
            out.put("corrected_latency_ms", Percentiles.millis(r.responseTime()));
            out.put("missed_schedule", r.missedSchedule());
        }
        if (!thresholds.isEmpty()) {
            List<Map<String, Object>> checks = new ArrayList<>();
            for (Threshold t : thresholds) {
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("expression", t.expression());
                check.put("actual", Math.round(t.actual(r) * 1000) / 1000.0);
                check.put("ok", t.holds(r));
                checks.add(check);
            }
            out.put("thresholds", checks);
        }
        return out;
    }

    public static void write(LoadResult r, Path file) throws IOException {
        write(r, List.of(), file);
    }

    public static void write(LoadResult r, List<Threshold> thresholds, Path file) throws IOException {
        write(toMap(r, thresholds), file);
    }

    /** A result from {@link #toMap} with fields added by its caller ({@code compare}'s {@code server_cost}). */
    public static void write(Map<String, Object> result, Path file) throws IOException {
        JSON.writeValue(file.toFile(), result);
    }
}
