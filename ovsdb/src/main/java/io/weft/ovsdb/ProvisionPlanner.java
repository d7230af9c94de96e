package io.weft.ovsdb;

import static io.weft.ovsdb.OvsdbSnapshot.BRIDGE;
import static io.weft.ovsdb.OvsdbSnapshot.CONTROLLER;
import static io.weft.ovsdb.OvsdbSnapshot.INTERFACE;
import static io.weft.ovsdb.OvsdbSnapshot.OPEN_VSWITCH;
import static io.weft.ovsdb.OvsdbSnapshot.PORT;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import io.weft.model.ovs.Ownership;
import io.weft.ovsdb.Operation.Condition;
import io.weft.ovsdb.Operation.Mutation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Desired rows against the monitored cache, as a pure function: {@code (DesiredBridge, OvsdbSnapshot) -> plan}.
 * Rows without Weft's owner mark are never changed or deleted. A port's {@code ofport_request} is set when the port is
 * created and never changed afterwards: changing it would renumber a live port under its flows. Like ovs-vsctl, a non-empty plan bumps
 * {@code Open_vSwitch.next_cfg} so completion is observable as {@code cur_cfg >= next_cfg}, and it guards the
 * bridge's port list with a {@code wait} so a concurrent change aborts the transaction instead of being lost.
 */
public final class ProvisionPlanner {

    static final Map<String, String> OWNER_MARK = Map.of(Ownership.OWNER_KEY, Ownership.OWNER_VALUE);

    private ProvisionPlanner() {
    }

    public static ProvisionPlan plan(DesiredBridge desired, OvsdbSnapshot actual) {
        OvsdbRow ovs = actual.openVSwitch().orElseThrow(() -> new IllegalStateException(
                "the database has no Open_vSwitch row yet (run 'ovs-vsctl init')"));
        Map<String, DesiredPort> wanted = new TreeMap<>();
        desired.ports().forEach(p -> wanted.put(p.name(), p));
        List<Operation> changes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Optional<OvsdbRow> bridge = actual.bridge(desired.name());
        Operation guard = null;
        if (bridge.isEmpty()) {
            createBridge(desired, wanted, ovs, changes);
        } else {
            OvsdbRow b = bridge.get();
            JsonNode ports = OvsdbCodec.set(b.uuidSet("ports").stream().map(OvsdbCodec::uuid).toList());
            guard = new Operation.Wait(BRIDGE, List.of(Condition.uuidIs(b.uuid())), List.of("ports"), "==",
                    List.of(Map.of("ports", ports)), 0);
            if (b.ownedByWeft()) {
                updateBridgeSettings(desired, b, actual, changes);
            } else {
                notes.add("bridge " + desired.name() + " exists without the " + Ownership.OWNER_KEY
                        + " mark: its settings and controllers are left alone, only Weft's ports are managed");
            }
            syncPorts(desired, wanted, b, actual, changes, notes);
        }
        if (changes.isEmpty()) {
            return new ProvisionPlan(List.of(), notes);
        }
        List<Operation> ops = new ArrayList<>();
        if (guard != null) {
            ops.add(guard);
        }
        ops.addAll(changes);
        List<Condition> ovsRow = List.of(Condition.uuidIs(ovs.uuid()));
        ops.add(new Operation.Mutate(OPEN_VSWITCH, ovsRow,
                List.of(new Mutation("next_cfg", "+=", OvsdbCodec.integer(1)))));
        ops.add(new Operation.Select(OPEN_VSWITCH, ovsRow, List.of("next_cfg")));
        return new ProvisionPlan(ops, notes);
    }

    private static void createBridge(DesiredBridge desired, Map<String, DesiredPort> wanted, OvsdbRow ovs,
                                     List<Operation> ops) {
        List<JsonNode> portRefs = new ArrayList<>();
        DesiredPort internal = new DesiredPort(desired.name(), "internal", Map.of(), OWNER_MARK);
        ops.addAll(insertPort(internal, "iface_bridge", "port_bridge"));
        portRefs.add(OvsdbCodec.namedUuid("port_bridge"));
        int i = 0;
        for (DesiredPort p : wanted.values()) {
            if (p.name().equals(desired.name())) {
                continue;
            }
            ops.addAll(insertPort(p, "iface" + i, "port" + i));
            portRefs.add(OvsdbCodec.namedUuid("port" + i));
            i++;
        }
        List<JsonNode> controllerRefs = new ArrayList<>();
        int c = 0;
        for (String target : new TreeSet<>(desired.controllerTargets())) {
            ops.add(insertController(target, "controller" + c));
            controllerRefs.add(OvsdbCodec.namedUuid("controller" + c));
            c++;
        }
        Map<String, JsonNode> row = new HashMap<>();
        row.put("name", OvsdbCodec.string(desired.name()));
        row.put("fail_mode", OvsdbCodec.string(DesiredBridge.FAIL_MODE));
        row.put("protocols", OvsdbCodec.stringSet(DesiredBridge.PROTOCOLS));
        row.put("other_config", OvsdbCodec.stringMap(DesiredBridge.OTHER_CONFIG));
        row.put("datapath_type", OvsdbCodec.string(desired.datapathType().ovsValue()));
        row.put("external_ids", OvsdbCodec.stringMap(OWNER_MARK));
        row.put("ports", OvsdbCodec.set(portRefs));
        row.put("controller", OvsdbCodec.set(controllerRefs));
        ops.add(new Operation.Insert(BRIDGE, row, Optional.of("bridge")));
        ops.add(new Operation.Mutate(OPEN_VSWITCH, List.of(Condition.uuidIs(ovs.uuid())),
                List.of(new Mutation("bridges", "insert", OvsdbCodec.set(List.of(OvsdbCodec.namedUuid("bridge")))))));
    }

    private static void updateBridgeSettings(DesiredBridge desired, OvsdbRow b, OvsdbSnapshot actual,
                                             List<Operation> ops) {
        Map<String, JsonNode> row = new HashMap<>();
        if (!b.optionalString("fail_mode").orElse("").equals(DesiredBridge.FAIL_MODE)) {
            row.put("fail_mode", OvsdbCodec.string(DesiredBridge.FAIL_MODE));
        }
        if (!new HashSet<>(b.stringSet("protocols")).equals(new HashSet<>(DesiredBridge.PROTOCOLS))) {
            row.put("protocols", OvsdbCodec.stringSet(DesiredBridge.PROTOCOLS));
        }
        if (!b.string("datapath_type").equals(desired.datapathType().ovsValue())) {
            row.put("datapath_type", OvsdbCodec.string(desired.datapathType().ovsValue()));
        }
        Map<String, String> otherConfig = new TreeMap<>(b.otherConfig());
        if (!otherConfig.entrySet().containsAll(DesiredBridge.OTHER_CONFIG.entrySet())) {
            otherConfig.putAll(DesiredBridge.OTHER_CONFIG);
            row.put("other_config", OvsdbCodec.stringMap(otherConfig));
        }
        List<String> wantedTargets = new TreeSet<>(desired.controllerTargets()).stream().toList();
        if (!actual.controllerTargets(b).equals(wantedTargets)) {
            Map<String, String> existingByTarget = new HashMap<>();
            for (String uuid : b.uuidSet("controller")) {
                actual.row(CONTROLLER, uuid).ifPresent(c -> existingByTarget.putIfAbsent(c.string("target"), uuid));
            }
            List<JsonNode> refs = new ArrayList<>();
            int c = 0;
            for (String target : wantedTargets) {
                String uuid = existingByTarget.get(target);
                if (uuid != null) {
                    refs.add(OvsdbCodec.uuid(uuid));
                } else {
                    ops.add(insertController(target, "controller" + c));
                    refs.add(OvsdbCodec.namedUuid("controller" + c));
                    c++;
                }
            }
            // Controller is not a root table: rows no longer referenced are garbage-collected by ovsdb-server.
            row.put("controller", OvsdbCodec.set(refs));
        }
        if (!row.isEmpty()) {
            ops.add(new Operation.Update(BRIDGE, List.of(Condition.uuidIs(b.uuid())), row));
        }
    }

    private static void syncPorts(DesiredBridge desired, Map<String, DesiredPort> wanted, OvsdbRow b,
                                  OvsdbSnapshot actual, List<Operation> ops, List<String> notes) {
        Map<String, OvsdbRow> present = new TreeMap<>();
        actual.ports(b).forEach(p -> present.put(p.name(), p));
        List<JsonNode> removedPorts = new ArrayList<>();
        List<Operation> deletions = new ArrayList<>();
        List<Operation> updates = new ArrayList<>();
        Map<String, DesiredPort> toAdd = new TreeMap<>(wanted);
        toAdd.remove(desired.name());
        for (OvsdbRow port : present.values()) {
            if (port.name().equals(desired.name())) {
                continue; // the bridge's own internal port
            }
            DesiredPort want = toAdd.remove(port.name());
            if (!port.ownedByWeft()) {
                if (want != null) {
                    notes.add("port " + port.name() + " exists without the " + Ownership.OWNER_KEY
                            + " mark: left alone, not replaced by Weft's");
                }
                continue;
            }
            List<OvsdbRow> ifaces = actual.interfaces(port);
            Optional<OvsdbRow> iface = ifaces.stream().filter(i -> i.name().equals(port.name())).findFirst();
            if (want == null || iface.isEmpty() || ifaces.size() != 1) {
                removedPorts.add(OvsdbCodec.uuid(port.uuid()));
                deletions.add(new Operation.Delete(PORT, List.of(Condition.uuidIs(port.uuid()))));
                ifaces.forEach(i -> deletions.add(new Operation.Delete(INTERFACE, List.of(Condition.uuidIs(i.uuid())))));
                if (want != null) {
                    toAdd.put(want.name(), want); // malformed owned port: replace it whole
                }
                continue;
            }
            Map<String, JsonNode> ifaceRow = new HashMap<>();
            if (!iface.get().type().equals(want.type())) {
                ifaceRow.put("type", OvsdbCodec.string(want.type()));
            }
            if (!iface.get().options().equals(want.options())) {
                ifaceRow.put("options", OvsdbCodec.stringMap(want.options()));
            }
            if (!iface.get().externalIds().equals(want.externalIds())) {
                ifaceRow.put("external_ids", OvsdbCodec.stringMap(want.externalIds()));
            }
            if (!ifaceRow.isEmpty()) {
                updates.add(new Operation.Update(INTERFACE, List.of(Condition.uuidIs(iface.get().uuid())), ifaceRow));
            }
            if (!port.externalIds().equals(want.externalIds())) {
                updates.add(new Operation.Update(PORT, List.of(Condition.uuidIs(port.uuid())),
                        Map.of("external_ids", OvsdbCodec.stringMap(want.externalIds()))));
            }
        }
        List<Operation> inserts = new ArrayList<>();
        List<JsonNode> addedPorts = new ArrayList<>();
        int i = 0;
        for (DesiredPort p : toAdd.values()) {
            inserts.addAll(insertPort(p, "iface" + i, "port" + i));
            addedPorts.add(OvsdbCodec.namedUuid("port" + i));
            i++;
        }
        List<Mutation> portMutations = new ArrayList<>();
        if (!removedPorts.isEmpty()) {
            portMutations.add(new Mutation("ports", "delete", OvsdbCodec.set(removedPorts)));
        }
        if (!addedPorts.isEmpty()) {
            portMutations.add(new Mutation("ports", "insert", OvsdbCodec.set(addedPorts)));
        }
        ops.addAll(inserts);
        ops.addAll(updates);
        if (!portMutations.isEmpty()) {
            ops.add(new Operation.Mutate(BRIDGE, List.of(Condition.uuidIs(b.uuid())), portMutations));
        }
        ops.addAll(deletions);
    }

    private static List<Operation> insertPort(DesiredPort p, String ifaceName, String portName) {
        Map<String, JsonNode> iface = new HashMap<>();
        iface.put("name", OvsdbCodec.string(p.name()));
        iface.put("type", OvsdbCodec.string(p.type()));
        iface.put("options", OvsdbCodec.stringMap(p.options()));
        iface.put("external_ids", OvsdbCodec.stringMap(p.externalIds()));
        p.ofportRequest().ifPresent(n -> iface.put("ofport_request", OvsdbCodec.integer(n)));
        Map<String, JsonNode> port = new HashMap<>();
        port.put("name", OvsdbCodec.string(p.name()));
        port.put("interfaces", OvsdbCodec.set(List.of(OvsdbCodec.namedUuid(ifaceName))));
        port.put("external_ids", OvsdbCodec.stringMap(p.externalIds()));
        return List.of(new Operation.Insert(INTERFACE, iface, Optional.of(ifaceName)),
                new Operation.Insert(PORT, port, Optional.of(portName)));
    }

    private static Operation insertController(String target, String name) {
        Map<String, JsonNode> row = new HashMap<>();
        row.put("target", OvsdbCodec.string(target));
        row.put("external_ids", OvsdbCodec.stringMap(OWNER_MARK));
        return new Operation.Insert(CONTROLLER, row, Optional.of(name));
    }
}
