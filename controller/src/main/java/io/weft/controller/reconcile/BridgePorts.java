package io.weft.controller.reconcile;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * br-int's ports as one OVSDB cache snapshot shows them, indexed the way a port plan reads them. Built once per
 * snapshot ({@link OvsdbSide#bridgePorts}), so that planning a host again does not index its ports again.
 */
public final class BridgePorts {

    public static final BridgePorts NONE = of(List.of());

    private final List<BridgePort> all;
    private final Map<String, BridgePort> byName = new HashMap<>();
    private final Map<String, BridgePort> foreignByIfaceId = new HashMap<>();
    private final BitSet numbers = new BitSet();

    private BridgePorts(List<BridgePort> all) {
        this.all = all;
        for (BridgePort p : all) {
            byName.put(p.name(), p);
            if (!p.owned()) {
                p.ifaceId().ifPresent(id -> foreignByIfaceId.put(id, p));
            }
            p.ofport().ifPresent(numbers::set);
            p.ofportRequest().ifPresent(numbers::set);
        }
    }

    public static BridgePorts of(List<BridgePort> ports) {
        return new BridgePorts(List.copyOf(ports));
    }

    public List<BridgePort> all() {
        return all;
    }

    /** The port named {@code name}, or null. */
    BridgePort named(String name) {
        return byName.get(name);
    }

    /** The port not owned by Weft whose interface's {@code iface-id} is {@code ifaceId}, or null. */
    BridgePort foreignWithIfaceId(String ifaceId) {
        return foreignByIfaceId.get(ifaceId);
    }

    boolean hasForeignIfaceIds() {
        return !foreignByIfaceId.isEmpty();
    }

    /** The port numbers the ports hold or asked for; a copy, the caller's to change. */
    BitSet numbers() {
        return (BitSet) numbers.clone();
    }
}
