package dev.asyncprod.common.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code -H 'Name: value'} arguments, as curl and wrk take them. */
public final class HeaderArgs {

    private HeaderArgs() {
    }

    /**
     * The headers in the order given; a later one of the same name wins.
     *
     * @throws IllegalArgumentException naming the first argument that is not {@code Name: value}
     */
    public static Map<String, String> parse(List<String> args) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String arg : args) {
            int colon = arg.indexOf(':');
            if (colon <= 0 || arg.substring(0, colon).isBlank()) {
                throw new IllegalArgumentException("header must look like 'Name: value', got '" + arg + "'");
            }
            headers.put(arg.substring(0, colon).trim(), arg.substring(colon + 1).trim());
        }
        return headers;
    }
}
