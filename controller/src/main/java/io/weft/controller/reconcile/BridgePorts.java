package io.weft.controller.reconcile;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** Whether a port holds or asked for number {@code n}. */
    boolean holds(int n) {
        return numbers.get(n);
    }

    /** The names of the ports that are not the same here as in {@code base}: added, removed or changed. */
    Set<String> changedSince(BridgePorts base) {
        if (base == this) {
            return Set.of();
        }
        Set<String> changed = new HashSet<>();
        int kept = 0;
        for (BridgePort p : all) {
            BridgePort was = base.byName.get(p.name());
            if (was != null) {
                kept++;
            }
            if (was != p && !p.equals(was)) {
                changed.add(p.name());
            }
        }
        if (kept < base.all.size()) { // some are gone
            for (BridgePort p : base.all) {
                if (!byName.containsKey(p.name())) {
                    changed.add(p.name());
                }
            }
        }
        return changed;
    }

    /** The port numbers the ports hold or asked for; a copy, the caller's to change. */
    BitSet numbers() {
        return (BitSet) numbers.clone();
    }
}
