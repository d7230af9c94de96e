package io.weft.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds cache contents by hand for the diff's unit tests, with readable fake UUIDs. Rows are kept as the JSON OVSDB
 * would send, and decoded into {@link OvsdbRow}s by {@link #build}, as a monitor update is.
 */
final class SnapshotBuilder {

    private record JsonRow(String uuid, Map<String, JsonNode> columns) {
    }

    private final Map<String, List<JsonRow>> tables = new LinkedHashMap<>();
    private final List<String> bridges = new ArrayList<>();
    private int next;

    /** A bridge holding exactly what {@code desired} asks for, as if Weft had provisioned it. */
    static SnapshotBuilder converged(DesiredBridge desired) {
        SnapshotBuilder b = new SnapshotBuilder();
        List<String> ports = new ArrayList<>();
        ports.add(b.port(desired.name(), "internal", Map.of(), ProvisionPlanner.OWNER_MARK));
        desired.ports().forEach(p -> ports.add(b.port(p)));
        List<String> controllers = desired.controllerTargets().stream().map(b::controller).toList();
        b.bridge(desired.name(), true, desired.datapathType().ovsValue(), ports, controllers);
        return b;
    }

    String port(DesiredPort p) {
        return port(p.name(), p.type(), p.options(), p.externalIds());
    }

    String port(String name, String type, Map<String, String> options, Map<String, String> externalIds) {
        String iface = uuid("iface-" + name);
        add(OvsdbSnapshot.INTERFACE, iface, Map.of("name", OvsdbCodec.string(name), "type", OvsdbCodec.string(type),
                "options", OvsdbCodec.stringMap(options), "external_ids", OvsdbCodec.stringMap(externalIds),
                "ofport", OvsdbCodec.integer(++next)));
        String port = uuid("port-" + name);
        add(OvsdbSnapshot.PORT, port, Map.of("name", OvsdbCodec.string(name),
                "interfaces", OvsdbCodec.set(List.of(OvsdbCodec.uuid(iface))),
                "external_ids", OvsdbCodec.stringMap(externalIds)));
        return port;
    }

    String controller(String target) {
        String uuid = uuid("ctl-" + target.replace(':', '-').replace('/', '-'));
        add(OvsdbSnapshot.CONTROLLER, uuid, Map.of("target", OvsdbCodec.string(target)));
        return uuid;
    }

    String bridge(String name, boolean owned, String datapathType, List<String> ports, List<String> controllers) {
        String uuid = uuid("bridge-" + name);
        Map<String, JsonNode> row = new HashMap<>();
        row.put("name", OvsdbCodec.string(name));
        row.put("fail_mode", OvsdbCodec.string(DesiredBridge.FAIL_MODE));
        row.put("protocols", OvsdbCodec.stringSet(DesiredBridge.PROTOCOLS));
        row.put("other_config", OvsdbCodec.stringMap(DesiredBridge.OTHER_CONFIG));
        row.put("datapath_type", OvsdbCodec.string(datapathType));
        row.put("datapath_id", OvsdbCodec.string("0000aabbccddeeff"));
        row.put("external_ids", OvsdbCodec.stringMap(owned ? ProvisionPlanner.OWNER_MARK : Map.of()));
        row.put("ports", OvsdbCodec.set(ports.stream().map(OvsdbCodec::uuid).toList()));
        row.put("controller", OvsdbCodec.set(controllers.stream().map(OvsdbCodec::uuid).toList()));
        add(OvsdbSnapshot.BRIDGE, uuid, row);
        bridges.add(uuid);
        return uuid;
    }

    /** Adds a port to an existing bridge's port list (e.g. one made by hand with ovs-vsctl). */
    SnapshotBuilder withPortOn(String bridgeName, String portUuid) {
        List<JsonRow> rows = tables.get(OvsdbSnapshot.BRIDGE);
        for (int i = 0; i < rows.size(); i++) {
            JsonRow b = rows.get(i);
            if (b.columns().get("name").asText().equals(bridgeName)) {
                List<JsonNode> ports = new ArrayList<>();
                b.columns().get("ports").get(1).forEach(ports::add);
                ports.add(OvsdbCodec.uuid(portUuid));
                Map<String, JsonNode> cols = new HashMap<>(b.columns());
                cols.put("ports", OvsdbCodec.set(ports));
                rows.set(i, new JsonRow(b.uuid(), cols));
            }
        }
        return this;
    }

    OvsdbSnapshot build() {
        Map<String, List<OvsdbRow>> all = new LinkedHashMap<>();
        tables.forEach((table, rows) -> all.put(table,
                rows.stream().map(r -> new OvsdbRow(r.uuid(), r.columns())).toList()));
        all.put(OvsdbSnapshot.OPEN_VSWITCH, List.of(new OvsdbRow("ovs-root", Map.of(
                "bridges", OvsdbCodec.set(bridges.stream().map(OvsdbCodec::uuid).toList()),
                "cur_cfg", OvsdbCodec.integer(5), "next_cfg", OvsdbCodec.integer(5)))));
        return OvsdbSnapshot.of(all);
    }

    private void add(String table, String uuid, Map<String, JsonNode> columns) {
        tables.computeIfAbsent(table, t -> new ArrayList<>()).add(new JsonRow(uuid, columns));
    }

    private static String uuid(String readable) {
        return readable;
    }
}
