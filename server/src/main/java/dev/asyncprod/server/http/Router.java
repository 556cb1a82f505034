package dev.asyncprod.server.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A route table of method + exact path to a target. Unknown path: 404; known path with another
 * method: 405 with {@code Allow}. Paths are matched exactly; the service has no path parameters yet.
 *
 * @param <T> what a route leads to
 */
public final class Router<T> {

    private final Map<String, Map<HttpMethod, T>> byPath;
    private final Map<String, String> allowByPath;

    private Router(Map<String, Map<HttpMethod, T>> byPath) {
        this.byPath = byPath;
        this.allowByPath = new HashMap<>();
        byPath.forEach((path, methods) -> allowByPath.put(path, String.join(", ",
                methods.keySet().stream().map(HttpMethod::name).toList())));
    }

    /** Every routed path. */
    public java.util.Set<String> paths() {
        return byPath.keySet();
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The target for this method and path, or an {@link HttpError} (404 or 405) to answer with. */
    public T route(HttpMethod method, String path) {
        Map<HttpMethod, T> methods = byPath.get(path);
        if (methods == null) {
            throw HttpError.notFound(path);
        }
        T target = methods.get(method);
        if (target == null) {
            throw HttpError.methodNotAllowed(method.name(), path, allowByPath.get(path));
        }
        return target;
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
