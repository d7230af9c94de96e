package io.weft.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * An immutable view of the monitored tables: rows by UUID per table. A new snapshot is produced for every
 * {@code update} notification (copy-on-write of the changed tables only); readers never see a half-applied update.
 */
public final class OvsdbSnapshot {

    public static final String OPEN_VSWITCH = "Open_vSwitch";
    public static final String BRIDGE = "Bridge";
    public static final String PORT = "Port";
    public static final String INTERFACE = "Interface";
    public static final String CONTROLLER = "Controller";

    /** The columns monitored per table: what provisioning and the flow side read, nothing that churns (statistics). */
    public static final Map<String, List<String>> MONITORED_COLUMNS = orderedMap(
            OPEN_VSWITCH, List.of("bridges", "cur_cfg", "next_cfg", "external_ids", "ovs_version"),
            BRIDGE, List.of("name", "ports", "controller", "fail_mode", "protocols", "datapath_type",
                    "datapath_id", "external_ids", "other_config"),
            PORT, List.of("name", "interfaces", "external_ids"),
            INTERFACE, List.of("name", "type", "options", "ofport", "ofport_request", "external_ids", "error"),
            CONTROLLER, List.of("target", "is_connected", "external_ids"));

    public static final OvsdbSnapshot EMPTY = new OvsdbSnapshot(Map.of());

    private final Map<String, Map<String, OvsdbRow>> tables;

    private OvsdbSnapshot(Map<String, Map<String, OvsdbRow>> tables) {
        this.tables = tables;
    }

    /** Builds a snapshot from rows given directly (tests and the diff's golden cases). */
    public static OvsdbSnapshot of(Map<String, List<OvsdbRow>> rowsByTable) {
        Map<String, Map<String, OvsdbRow>> t = new HashMap<>();
        rowsByTable.forEach((table, rows) -> {
            Map<String, OvsdbRow> byUuid = new LinkedHashMap<>();
            rows.forEach(r -> byUuid.put(r.uuid(), r));
            t.put(table, Collections.unmodifiableMap(byUuid));
        });
        return new OvsdbSnapshot(Collections.unmodifiableMap(t));
    }

    /**
     * Applies RFC 7047 {@code <table-updates>}: a row with {@code new} is inserted or replaced (monitor sends all
     * monitored columns in {@code new}), a row with only {@code old} is deleted. Also reads a monitor reply.
     */
    public OvsdbSnapshot apply(JsonNode tableUpdates) {
        if (tableUpdates == null || !tableUpdates.isObject()) {
            throw new IllegalArgumentException("table-updates must be a JSON object, got " + tableUpdates);
        }
        Map<String, Map<String, OvsdbRow>> next = new HashMap<>(tables);
        Iterator<Map.Entry<String, JsonNode>> it = tableUpdates.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> table = it.next();
            Map<String, OvsdbRow> rows = new LinkedHashMap<>(tables.getOrDefault(table.getKey(), Map.of()));
            Iterator<Map.Entry<String, JsonNode>> rowIt = table.getValue().fields();
            while (rowIt.hasNext()) {
                Map.Entry<String, JsonNode> rowUpdate = rowIt.next();
                JsonNode newRow = rowUpdate.getValue().get("new");
                if (newRow == null || newRow.isNull()) {
                    rows.remove(rowUpdate.getKey());
                } else {
                    Map<String, JsonNode> columns = new HashMap<>();
                    newRow.fields().forEachRemaining(c -> columns.put(c.getKey(), c.getValue()));
                    OvsdbRow row = new OvsdbRow(rowUpdate.getKey(), columns);
                    rows.put(row.uuid(), row);
                }
            }
            next.put(table.getKey(), Collections.unmodifiableMap(rows));
        }
        return new OvsdbSnapshot(Collections.unmodifiableMap(next));
    }

    public Map<String, OvsdbRow> table(String name) {
        return tables.getOrDefault(name, Map.of());
    }

    public Optional<OvsdbRow> row(String table, String uuid) {
        return Optional.ofNullable(table(table).get(uuid));
    }

    public Optional<OvsdbRow> openVSwitch() {
        return table(OPEN_VSWITCH).values().stream().findFirst();
    }

    /** {@code Open_vSwitch.external_ids:system-id}: how a passively connecting host names itself. */
    public Optional<String> systemId() {
        return openVSwitch().map(r -> r.externalIds().get("system-id"));
    }

    public long curCfg() {
        return openVSwitch().map(r -> r.integer("cur_cfg")).orElse(0L);
    }

    public long nextCfg() {
        return openVSwitch().map(r -> r.integer("next_cfg")).orElse(0L);
    }

    public Optional<OvsdbRow> bridge(String name) {
        return table(BRIDGE).values().stream().filter(b -> b.name().equals(name)).findFirst();
    }

    public List<OvsdbRow> ports(OvsdbRow bridge) {
        return bridge.uuidSet("ports").stream().map(u -> table(PORT).get(u)).filter(Objects::nonNull).toList();
    }

    public List<OvsdbRow> interfaces(OvsdbRow port) {
        return port.uuidSet("interfaces").stream().map(u -> table(INTERFACE).get(u)).filter(Objects::nonNull)
                .toList();
    }

    public List<String> controllerTargets(OvsdbRow bridge) {
        return bridge.uuidSet("controller").stream().map(u -> table(CONTROLLER).get(u)).filter(Objects::nonNull)
                .map(c -> c.string("target")).sorted().toList();
    }

    public Optional<OvsdbRow> interfaceNamed(String name) {
        return table(INTERFACE).values().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The OpenFlow port number of an interface, once ovs-vswitchd attached it (not -1). */
    public OptionalInt ofport(String interfaceName) {
        OptionalLong p = interfaceNamed(interfaceName).map(OvsdbRow::ofport).orElse(OptionalLong.empty());
        return p.isPresent() && p.getAsLong() > 0 ? OptionalInt.of((int) p.getAsLong()) : OptionalInt.empty();
    }

    /** {@code Bridge.datapath_id} (16 hex digits) once ovs-vswitchd set it. */
    public Optional<String> datapathId(String bridgeName) {
        return bridge(bridgeName).flatMap(b -> b.optionalString("datapath_id"));
    }

    /** Interfaces bound to a logical port with {@code external_ids:iface-id}, by that id. */
    public Map<String, OvsdbRow> interfacesByIfaceId() {
        Map<String, OvsdbRow> out = new LinkedHashMap<>();
        for (OvsdbRow i : table(INTERFACE).values()) {
            String id = i.externalIds().get(io.weft.model.ovs.Ownership.IFACE_ID_KEY);
            if (id != null) {
                out.put(id, i);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OvsdbSnapshot s && s.tables.equals(tables);
    }

    @Override
    public int hashCode() {
        return tables.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("OvsdbSnapshot{");
        tables.forEach((t, rows) -> sb.append(t).append('=').append(rows.size()).append(' '));
        return sb.append('}').toString();
    }

    private static <V> Map<String, V> orderedMap(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            V v = (V) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return Collections.unmodifiableMap(m);
    }
}
