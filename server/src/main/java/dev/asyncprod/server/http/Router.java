package dev.asyncprod.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A route table of method + exact path to a target. Unknown path: 404; known path with another
 * method: 405 with {@code Allow}. Every GET route answers HEAD too. Paths are matched exactly, then by the longest registered prefix
 * ending in {@code /} (for {@code /jobs/{id}}: the endpoint reads the rest of the path itself).
 *
 * @param <T> what a route leads to
 */
public final class Router<T> {

    private final Map<String, Map<HttpMethod, T>> byPath;
    private final Map<String, String> allowByPath;
    private final List<String> prefixes;

    private Router(Map<String, Map<HttpMethod, T>> byPath) {
        this.byPath = byPath;
        this.prefixes = byPath.keySet().stream().filter(p -> p.endsWith("/") && p.length() > 1).toList();
        this.allowByPath = new HashMap<>();
        byPath.forEach((path, methods) -> allowByPath.put(path, String.join(", ", allowed(methods.keySet()))));
    }

    private static List<String> allowed(Set<HttpMethod> methods) {
        List<String> names = new ArrayList<>(methods.stream().map(HttpMethod::name).toList());
        if (methods.contains(HttpMethod.GET) && !methods.contains(HttpMethod.HEAD)) {
            names.add(names.indexOf("GET") + 1, "HEAD");
        }
        return names;
    }

    /** The registered path (exact, or a prefix ending in {@code /}) a request path routes by, or null. */
    public String routeOf(String path) {
        return byPath.containsKey(path) ? path : longestPrefix(path);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The target for this method and path, or an {@link HttpError} (404 or 405) to answer with. */
    public T route(HttpMethod method, String path) {
        String key = routeOf(path);
        Map<HttpMethod, T> methods = key == null ? null : byPath.get(key);
        if (methods == null) {
            throw HttpError.notFound(path);
        }
        T target = methods.get(method);
        if (target == null && method.equals(HttpMethod.HEAD)) {
            target = methods.get(HttpMethod.GET); // RFC 9110 §9.3.2: HEAD is GET without the body
        }
        if (target == null) {
            throw HttpError.methodNotAllowed(method.name(), path, allowByPath.get(key));
        }
        return target;
    }

    private String longestPrefix(String path) {
        String best = null;
        for (String prefix : prefixes) {
            if (path.startsWith(prefix) && path.length() > prefix.length() && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best;
    }

    public static final class Builder<T> {
        private final Map<String, Map<HttpMethod, T>> byPath = new LinkedHashMap<>();

        public Builder<T> add(HttpMethod method, String path, T target) {
            T previous = byPath.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(method, target);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate route " + method + " " + path);
            }
            return this;
        }

        public Router<T> build() {
            return new Router<>(Map.copyOf(byPath));
        }
    }
}
