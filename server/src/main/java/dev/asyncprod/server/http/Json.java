package dev.asyncprod.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The server's one JSON codec, Jackson, for what endpoints answer and what they read. Record
 * components and map entries are written in their order; record component names are written in
 * snake_case ({@code sleptMs} as {@code slept_ms}), the style of the whole API. Map keys are
 * written as they are.
 */
public final class Json {

    /**
     * Jackson's buffers come from one shared lock-free pool, not a pool per thread (its default):
     * a virtual thread lives for one request, and would allocate fresh buffers for every answer.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private Json() {
    }

    /** {@code value} (a record, a map, a list, a string, a number) as UTF-8 JSON. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Parses a request body; a syntax error is a {@link com.fasterxml.jackson.core.JacksonException}. */
    public static JsonNode read(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }
}
