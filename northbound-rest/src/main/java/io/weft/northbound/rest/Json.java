package io.weft.northbound.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Strict JSON for request bodies: unknown fields, wrong types and trailing garbage are refused with a message that
 * names the field, rather than guessed at. Also the mapper for responses.
 */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    static {
        // "vni": "7" and "name": 7 are type errors, not values to convert.
        MAPPER.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    private Json() {
    }

    /** Reads {@code body} as {@code type} ({@code what} names it in messages), or fails with a 400 problem. */
    static <T> T read(String body, Class<T> type, String what) {
        if (body == null || body.isBlank()) {
            throw Problem.badRequest("empty-body", "the request body is empty: send a JSON object describing the "
                    + what);
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw Problem.badRequest("invalid-body", "the request body is null: send a JSON object describing the "
                        + what);
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            throw Problem.badRequest("unknown-field", "unknown field '" + path(e) + "' in the " + what
                    + ": known fields are " + String.join(", ", known));
        } catch (InputCoercionException e) {
            String field = e.getProcessor() == null ? null : currentName(e.getProcessor());
            throw Problem.badRequest("wrong-type", (field == null ? "a number" : "field '" + field + "'")
                    + " is out of range: " + e.getOriginalMessage().replaceAll("\\s+", " "));
        } catch (StreamReadException e) {
            throw Problem.badRequest("malformed-json", "the request body is not valid JSON: "
                    + e.getOriginalMessage() + location(e));
        } catch (MismatchedInputException e) {
            String field = path(e);
            String expected = e.getTargetType() == null ? "another type" : typeName(e.getTargetType());
            throw Problem.badRequest("wrong-type", field.isEmpty()
                    ? "the request body must be a JSON object describing the " + what
                    : "field '" + field + "' has the wrong type: expected " + expected);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InputCoercionException c) {
                throw Problem.badRequest("wrong-type", "field '" + path(e) + "' is out of range: "
                        + c.getOriginalMessage());
            }
            throw Problem.badRequest("invalid-body", "the " + what + " cannot be read: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("malformed-json", "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }

    private static String currentName(JsonParser p) {
        try {
            return p.currentName();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String location(StreamReadException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String typeName(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "an object";
    }
}
