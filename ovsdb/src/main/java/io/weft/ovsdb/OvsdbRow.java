package io.weft.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.ovsdb.OvsdbCodec.UuidAtom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One monitored row: its UUID and its columns, read through typed accessors. The columns are decoded once, when the
 * row arrives ({@link OvsdbCodec#decode}), into compact immutable values: the controller mirrors every port of every
 * host, so a row keeps no JSON tree and an accessor decodes nothing.
 */
public final class OvsdbRow {

    private final String uuid;
    private final Map<String, Object> columns;

    /**
     * A row from its columns as OVSDB sent them; a JSON {@code null} column reads as an absent one.
     *
     * @throws IllegalArgumentException if a column holds no RFC 7047 value
     */
    public OvsdbRow(String uuid, Map<String, JsonNode> columns) {
        this.uuid = uuid.intern(); // the same object as the uuid atoms that refer to this row (OvsdbCodec#decode)
        Map<String, Object> decoded = new HashMap<>();
        columns.forEach((name, json) -> {
            if (json != null && !json.isNull() && !json.isMissingNode()) {
                try {
                    decoded.put(name.intern(), OvsdbCodec.decode(json));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("row " + uuid + " column " + name + ": " + e.getMessage(), e);
                }
            }
        });
        this.columns = Map.copyOf(decoded);
    }

    public String uuid() {
        return uuid;
    }

    /** An atomic string column ({@code name}, {@code type}); absent reads as {@code ""}. */
    public String string(String column) {
        return optionalString(column).orElse("");
    }

    /** An optional string column ({@code fail_mode}, {@code datapath_id}): a set of zero or one. */
    public Optional<String> optionalString(String column) {
        Object v = columns.get(column);
        return isEmptySet(v) ? Optional.empty() : Optional.of(stringAtom(firstAtom(v)));
    }

    public OptionalLong optionalInteger(String column) {
        Object v = columns.get(column);
        if (isEmptySet(v)) {
            return OptionalLong.empty();
        }
        if (!(firstAtom(v) instanceof Long n)) {
            throw new IllegalArgumentException("expected an OVSDB integer, got " + firstAtom(v));
        }
        return OptionalLong.of(n);
    }

    public long integer(String column) {
        return optionalInteger(column).orElse(0);
    }

    public List<String> stringSet(String column) {
        List<?> atoms = atoms(columns.get(column));
        atoms.forEach(OvsdbRow::stringAtom);
        @SuppressWarnings("unchecked") // every element was just checked to be a String; the list is immutable
        List<String> strings = (List<String>) atoms;
        return strings;
    }

    public List<String> uuidSet(String column) {
        return atoms(columns.get(column)).stream().map(OvsdbRow::uuidAtom).toList();
    }

    public Map<String, String> stringMap(String column) {
        Object v = columns.get(column);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("expected [\"map\",[...]], got " + v);
        }
        map.forEach((k, value) -> {
            stringAtom(k);
            stringAtom(value);
        });
        @SuppressWarnings("unchecked") // every key and value was just checked to be a String; the map is immutable
        Map<String, String> strings = (Map<String, String>) map;
        return strings;
    }

    // Typed accessors for the columns Weft reads.

    public String name() {
        return string("name");
    }

    public Map<String, String> externalIds() {
        return stringMap("external_ids");
    }

    public Map<String, String> options() {
        return stringMap("options");
    }

    public Map<String, String> otherConfig() {
        return stringMap("other_config");
    }

    public String type() {
        return string("type");
    }

    /** Interface {@code ofport}: absent until ovs-vswitchd attached it, {@code -1} when attaching failed. */
    public OptionalLong ofport() {
        return optionalInteger("ofport");
    }

    /** Interface {@code ofport_request}: the port number someone asked OVS for, if any. */
    public OptionalLong ofportRequest() {
        return optionalInteger("ofport_request");
    }

    public boolean ownedByWeft() {
        return io.weft.model.ovs.Ownership.OWNER_VALUE.equals(
                externalIds().get(io.weft.model.ovs.Ownership.OWNER_KEY));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OvsdbRow r && r.uuid.equals(uuid) && r.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return 31 * uuid.hashCode() + columns.hashCode();
    }

    @Override
    public String toString() {
        return "OvsdbRow[uuid=" + uuid + ", columns=" + columns + "]";
    }

    // A decoded value (OvsdbCodec#decode) read as a set: absent or List.of() is empty, a list its atoms, an atom one.

    private static boolean isEmptySet(Object value) {
        return value == null || value instanceof List<?> l && l.isEmpty();
    }

    private static Object firstAtom(Object value) {
        return value instanceof List<?> l ? l.get(0) : value;
    }

    private static List<?> atoms(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> l ? l : List.of(value);
    }

    private static String stringAtom(Object atom) {
        if (!(atom instanceof String s)) {
            throw new IllegalArgumentException("expected an OVSDB string, got " + atom);
        }
        return s;
    }

    private static String uuidAtom(Object atom) {
        if (!(atom instanceof UuidAtom u)) {
            throw new IllegalArgumentException("expected [\"uuid\",...], got " + atom);
        }
        return u.uuid();
    }
}
