package io.weft.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * RFC 7047 section 5.1 value encodings in one place: atoms, {@code ["set",[...]]}, {@code ["map",[[k,v],...]]},
 * {@code ["uuid",..]} and {@code ["named-uuid",..]}. A one-element set may arrive as the bare atom; both are read.
 */
public final class OvsdbCodec {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OvsdbCodec() {
    }

    public static JsonNode uuid(String uuid) {
        return NODES.arrayNode().add("uuid").add(uuid);
    }

    public static JsonNode namedUuid(String name) {
        return NODES.arrayNode().add("named-uuid").add(name);
    }

    public static JsonNode string(String value) {
        return NODES.textNode(value);
    }

    public static JsonNode integer(long value) {
        return NODES.numberNode(value);
    }

    /** A set of already encoded atoms (strings, uuids, named-uuids). */
    public static JsonNode set(Collection<? extends JsonNode> atoms) {
        ArrayNode elements = NODES.arrayNode();
        atoms.forEach(elements::add);
        return NODES.arrayNode().add("set").add(elements);
    }

    public static JsonNode stringSet(Collection<String> strings) {
        return set(strings.stream().map(OvsdbCodec::string).toList());
    }

    /** A string-to-string map, keys sorted so equal maps encode identically. */
    public static JsonNode stringMap(Map<String, String> map) {
        ArrayNode pairs = NODES.arrayNode();
        new TreeMap<>(map).forEach((k, v) -> pairs.add(NODES.arrayNode().add(k).add(v)));
        return NODES.arrayNode().add("map").add(pairs);
    }

    /** The atoms of a set value; a bare atom is a one-element set. */
    public static List<JsonNode> setElements(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return List.of();
        }
        if (isTagged(value, "set")) {
            List<JsonNode> atoms = new ArrayList<>();
            value.get(1).forEach(atoms::add);
            return atoms;
        }
        return List.of(value);
    }

    public static List<String> decodeStringSet(JsonNode value) {
        return setElements(value).stream().map(OvsdbCodec::decodeString).toList();
    }

    public static Optional<String> decodeOptionalString(JsonNode value) {
        List<JsonNode> atoms = setElements(value);
        return atoms.isEmpty() ? Optional.empty() : Optional.of(decodeString(atoms.get(0)));
    }

    public static OptionalLong decodeOptionalInteger(JsonNode value) {
        List<JsonNode> atoms = setElements(value);
        if (atoms.isEmpty()) {
            return OptionalLong.empty();
        }
        JsonNode atom = atoms.get(0);
        if (!atom.isIntegralNumber()) {
            throw new IllegalArgumentException("expected an OVSDB integer, got " + atom);
        }
        return OptionalLong.of(atom.asLong());
    }

    public static String decodeString(JsonNode atom) {
        if (atom == null || !atom.isTextual()) {
            throw new IllegalArgumentException("expected an OVSDB string, got " + atom);
        }
        return atom.asText();
    }

    public static String decodeUuid(JsonNode atom) {
        if (!isTagged(atom, "uuid") || !atom.get(1).isTextual()) {
            throw new IllegalArgumentException("expected [\"uuid\",...], got " + atom);
        }
        return atom.get(1).asText();
    }

    public static List<String> decodeUuidSet(JsonNode value) {
        return setElements(value).stream().map(OvsdbCodec::decodeUuid).toList();
    }

    /** A string-to-string map; an absent column reads as empty. */
    public static Map<String, String> decodeStringMap(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return Map.of();
        }
        if (!isTagged(value, "map")) {
            throw new IllegalArgumentException("expected [\"map\",[...]], got " + value);
        }
        Map<String, String> map = new TreeMap<>();
        for (JsonNode pair : value.get(1)) {
            if (!pair.isArray() || pair.size() != 2) {
                throw new IllegalArgumentException("map entry is not a [key,value] pair: " + pair);
            }
            map.put(decodeString(pair.get(0)), decodeString(pair.get(1)));
        }
        return Map.copyOf(map);
    }

    private static boolean isTagged(JsonNode value, String tag) {
        return value != null && value.isArray() && value.size() == 2 && tag.equals(value.get(0).asText(null))
                && (value.get(0).isTextual());
    }
}
