package io.weft.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * A column's value decoded once into compact immutable Java values, so that a cached row keeps no JSON tree: an
     * atom is a {@link String}, {@link Long}, {@link Double}, {@link Boolean} or {@link UuidAtom}; a set of one atom
     * (sent bare, as OVSDB does, or as {@code ["set",[a]]}) is that atom; an empty set is {@code List.of()}; a larger
     * set an immutable {@link List} of atoms; a map an immutable {@link Map} of atoms. {@link OvsdbRow} reads them.
     * Strings are interned: the same few map keys and values (the owner mark, a network's name, an endpoint's id in
     * two keys of two rows), a port's name in its Port and Interface rows and a uuid in the rows that refer to it are
     * then one object each in the mirror of a host, not one per row that holds them.
     *
     * @throws IllegalArgumentException if {@code value} is no RFC 7047 value (a bad peer's update)
     */
    static Object decode(JsonNode value) {
        if (isTagged(value, "set")) {
            JsonNode elements = value.get(1);
            if (!elements.isArray()) {
                throw new IllegalArgumentException("expected [\"set\",[...]], got " + value);
            }
            List<Object> atoms = new ArrayList<>(elements.size());
            elements.forEach(e -> atoms.add(decodeAtom(e)));
            return atoms.size() == 1 ? atoms.get(0) : List.copyOf(atoms);
        }
        if (isTagged(value, "map")) {
            JsonNode pairs = value.get(1);
            if (!pairs.isArray()) {
                throw new IllegalArgumentException("expected [\"map\",[...]], got " + value);
            }
            Map<Object, Object> map = new HashMap<>();
            for (JsonNode pair : pairs) {
                if (!pair.isArray() || pair.size() != 2) {
                    throw new IllegalArgumentException("map entry is not a [key,value] pair: " + pair);
                }
                map.put(decodeAtom(pair.get(0)), decodeAtom(pair.get(1)));
            }
            return Map.copyOf(map);
        }
        return decodeAtom(value);
    }

    /** A uuid atom, {@code ["uuid",u]} on the wire: kept apart from a string atom, as OVSDB keeps them. */
    record UuidAtom(String uuid) {
    }

    private static Object decodeAtom(JsonNode atom) {
        if (atom.isTextual()) {
            return atom.asText().intern();
        }
        if (atom.isIntegralNumber() && atom.canConvertToLong()) {
            return atom.asLong();
        }
        if (atom.isFloatingPointNumber()) {
            return atom.asDouble();
        }
        if (atom.isBoolean()) {
            return atom.asBoolean();
        }
        if (isTagged(atom, "uuid") && atom.get(1).isTextual()) {
            return new UuidAtom(atom.get(1).asText().intern());
        }
        throw new IllegalArgumentException("not an OVSDB atom (string, integer, real, boolean or [\"uuid\",...]): "
                + atom);
    }

    private static boolean isTagged(JsonNode value, String tag) {
        return value != null && value.isArray() && value.size() == 2 && tag.equals(value.get(0).asText(null))
                && (value.get(0).isTextual());
    }
}
