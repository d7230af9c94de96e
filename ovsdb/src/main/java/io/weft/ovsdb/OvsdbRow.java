package io.weft.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** One monitored row: its UUID and its columns as OVSDB sent them, read through typed accessors. */
public record OvsdbRow(String uuid, Map<String, JsonNode> columns) {

    public OvsdbRow {
        columns = Map.copyOf(columns);
    }

    /** An atomic string column ({@code name}, {@code type}); absent reads as {@code ""}. */
    public String string(String column) {
        JsonNode v = columns.get(column);
        return v == null ? "" : OvsdbCodec.decodeOptionalString(v).orElse("");
    }

    /** An optional string column ({@code fail_mode}, {@code datapath_id}): a set of zero or one. */
    public Optional<String> optionalString(String column) {
        return OvsdbCodec.decodeOptionalString(columns.get(column));
    }

    public OptionalLong optionalInteger(String column) {
        return OvsdbCodec.decodeOptionalInteger(columns.get(column));
    }

    public long integer(String column) {
        return optionalInteger(column).orElse(0);
    }

    public List<String> stringSet(String column) {
        return OvsdbCodec.decodeStringSet(columns.get(column));
    }

    public List<String> uuidSet(String column) {
        return OvsdbCodec.decodeUuidSet(columns.get(column));
    }

    public Map<String, String> stringMap(String column) {
        return OvsdbCodec.decodeStringMap(columns.get(column));
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
}
