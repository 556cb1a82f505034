package dev.asyncprod.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Query parameters, decoded once per request, with the typed, bounded accessors that endpoints
 * use to validate them. Every violation is a 400 whose message says what is allowed.
 */
public final class QueryParams {

    private final Map<String, List<String>> values;

    public QueryParams(Map<String, List<String>> values) {
        this.values = values;
    }

    /** The single value of {@code name}, or an error naming the parameter when it is absent or repeated. */
    public String required(String name) {
        List<String> all = values.get(name);
        if (all == null || all.isEmpty()) {
            throw HttpError.badParameter("missing query parameter '" + name + "'");
        }
        if (all.size() > 1) {
            throw HttpError.badParameter("query parameter '" + name + "' given " + all.size() + " times; give it once");
        }
        return all.get(0);
    }

    /** The single value of {@code name}, or null when it is absent. */
    public String optional(String name) {
        return values.containsKey(name) ? required(name) : null;
    }

    /** Every parameter name given, so an endpoint can refuse one it does not know (a typo). */
    public Set<String> names() {
        return values.keySet();
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when absent. */
    public long optionalLong(String name, long fallback, long min, long max) {
        return values.containsKey(name) ? requiredLong(name, min, max) : fallback;
    }

    /** {@code true} or {@code false}; absent is false. */
    public boolean optionalBoolean(String name) {
        if (!values.containsKey(name)) {
            return false;
        }
        String text = required(name);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw HttpError.badParameter("'" + name + "' must be true or false, got '" + abbreviate(text) + "'");
        };
    }

    /** A whole number in {@code [min, max]}. */
    public long requiredLong(String name, long min, long max) {
        return parseBounded(name, required(name), min, max);
    }

    /** A comma-separated list of {@code minCount..maxCount} whole numbers, each in {@code [min, max]}. */
    public List<Long> requiredLongList(String name, int minCount, int maxCount, long min, long max) {
        String raw = required(name);
        String[] parts = raw.split(",", -1);
        if (parts.length < minCount || parts.length > maxCount) {
            throw HttpError.badParameter("'" + name + "' must list " + minCount + " to " + maxCount
                    + " comma-separated values, got " + parts.length);
        }
        List<Long> out = new ArrayList<>(parts.length);
        for (String part : parts) {
            out.add(parseBounded(name, part, min, max));
        }
        return out;
    }

    private static long parseBounded(String name, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw HttpError.badParameter("'" + name + "' must be a whole number from " + min + " to " + max
                    + ", got '" + abbreviate(text) + "'");
        }
        if (value < min || value > max) {
            throw HttpError.badParameter("'" + name + "' must be from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }
}
