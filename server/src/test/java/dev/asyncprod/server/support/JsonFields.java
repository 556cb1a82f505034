package dev.asyncprod.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads fields out of the server's flat JSON answers, for assertions. */
public final class JsonFields {

    private JsonFields() {
    }

    /** Every numeric value of {@code field}, in document order. */
    public static List<Long> longs(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(-?\\d+)").matcher(json);
        List<Long> out = new ArrayList<>();
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    public static long longField(String json, String field) {
        List<Long> all = longs(json, field);
        if (all.size() != 1) {
            throw new AssertionError("expected one '" + field + "' in " + json);
        }
        return all.get(0);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The number at {@code path} ({@code "execution_pool", "queued"}), or an error naming the path. */
    public static long longAt(String json, String... path) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String step : path) {
            node = node.path(step);
        }
        if (!node.isNumber()) {
            throw new AssertionError("no number at " + String.join(".", path) + " in " + json);
        }
        return node.asLong();
    }

    public static String stringField(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no string '" + field + "' in " + json);
        }
        return m.group(1);
    }
}
