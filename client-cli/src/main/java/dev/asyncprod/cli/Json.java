package dev.asyncprod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Reading the task view's JSON, where a field may be absent or null and both mean "not there". */
final class Json {

    private Json() {
    }

    /** The field's text, or null when it is absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The field's number, or null when it is absent or null. */
    static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? null : value.asLong();
    }

    /** The field's object, or null when it is absent, null or not an object. */
    static JsonNode object(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isObject() ? null : value;
    }

    /** The field's array elements; none when it is absent or not an array. */
    static Iterable<JsonNode> array(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isArray() ? List.of() : value;
    }
}
