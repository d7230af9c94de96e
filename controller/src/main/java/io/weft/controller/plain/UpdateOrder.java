package io.weft.controller.plain;

import io.weft.model.flow.Action;
import io.weft.model.flow.FailoverGroup;
import io.weft.model.flow.Field;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * In what order the switches move from what they hold to a new topology's flows so that no frame is dropped or loops
 * on the way: the new way toward a switch is installed first on the switches nearest to it, then, once those are
 * acknowledged, on the next ring out, and so on. Each stage is a whole desired state (as data): stage k holds the new
 * flows toward a destination switch on the switches at most k links from it (by the new paths), and the old ones
 * elsewhere. Within a stage the switches apply in any order: a switch that moved sends to one that had moved a stage
 * before, so a frame that reaches the new paths stays on them to its destination, and one still on the old paths
 * follows them (they cross only links still up, or a fast-failover group's alternate) until it meets the new ones.
 * Pure.
 */
public final class UpdateOrder {

    private UpdateOrder() {
    }

    /**
     * The states to send one after the other, each once the one before is acknowledged by every switch; the last is
     * {@code after}. {@code before} is what the switches were last sent (empty: {@code after} at once).
     *
     * @param next the topology {@code after} was compiled from
     */
    public static List<Map<Long, PlainFlows.SwitchState>> stages(Map<Long, PlainFlows.SwitchState> before,
                                                                Map<Long, PlainFlows.SwitchState> after,
                                                                Topology next) {
        return stages(before, after, next, Paths.of(next));
    }

    /** As {@link #stages(Map, Map, Topology)}, with {@code next}'s {@code paths} already computed. */
    public static List<Map<Long, PlainFlows.SwitchState>> stages(Map<Long, PlainFlows.SwitchState> before,
                                                                Map<Long, PlainFlows.SwitchState> after,
                                                                Topology next, Paths paths) {
        if (before.isEmpty() || before.equals(after)) {
            return List.of(after);
        }
        Map<Long, Long> switchOfHost = new HashMap<>();
        next.hosts().values().forEach(h -> switchOfHost.put(h.mac().bits(), h.at().dpid()));
        int farthest = 0;
        for (long s : next.switches()) {
            for (long d : next.switches()) {
                farthest = Math.max(farthest, paths.hops(s, d).orElse(0));
            }
        }
        // Each switch's old flows by key, made once for all the stages.
        Map<Long, Map<FlowKey, FlowRule>> oldByKey = new HashMap<>();
        List<Map<Long, PlainFlows.SwitchState>> out = new ArrayList<>();
        Map<Long, PlainFlows.SwitchState> previous = before;
        for (int k = 0; k < farthest; k++) {
            Map<Long, PlainFlows.SwitchState> stage = new TreeMap<>();
            for (Map.Entry<Long, PlainFlows.SwitchState> e : after.entrySet()) {
                long s = e.getKey();
                PlainFlows.SwitchState old = before.get(s);
                stage.put(s, old == null ? e.getValue() : mixed(s, k, old, oldByKey.computeIfAbsent(s,
                        x -> byKey(old.flows())), e.getValue(), paths, switchOfHost));
            }
            if (!stage.equals(previous)) {
                out.add(stage);
                previous = stage;
            }
        }
        if (!after.equals(previous)) {
            out.add(after);
        }
        return out.isEmpty() ? List.of(after) : out;
    }

    /** {@code s}'s state at stage {@code k}: new toward switches at most k links away, old toward the others. */
    private static PlainFlows.SwitchState mixed(long s, int k, PlainFlows.SwitchState old,
                                               Map<FlowKey, FlowRule> oldByKey, PlainFlows.SwitchState now,
                                               Paths paths, Map<Long, Long> switchOfHost) {
        Set<Long> keptGroups = new HashSet<>();
        List<FlowRule> flows = new ArrayList<>(now.flows().size());
        for (FlowRule f : now.flows()) {
            Optional<Long> destination = destinationOf(f, switchOfHost);
            boolean isLate = destination.isPresent() && later(paths.hops(s, destination.get()), k);
            FlowRule kept = isLate ? oldByKey.get(f.key()) : null;
            if (kept != null) {
                keptGroups.addAll(groupsNamed(kept));
            }
            flows.add(kept != null ? kept : f);
        }
        // Groups: the old ones the kept old flows name, the new ones otherwise; ids stay unique.
        SortedMap<Long, FailoverGroup> groups = new TreeMap<>();
        Set<Long> ids = new HashSet<>();
        old.groups().forEach((d, g) -> {
            if (keptGroups.contains(g.id()) && ids.add(g.id())) {
                groups.put(d, g);
            }
        });
        now.groups().forEach((d, g) -> {
            if (!groups.containsKey(d) && ids.add(g.id())) {
                groups.put(d, g);
            }
        });
        return new PlainFlows.SwitchState(flows, groups);
    }

    private static Map<FlowKey, FlowRule> byKey(List<FlowRule> flows) {
        Map<FlowKey, FlowRule> out = new HashMap<>();
        flows.forEach(f -> out.put(f.key(), f));
        return out;
    }

    /** Whether a switch {@code hops} from the destination is still on the old paths at stage {@code k}. */
    private static boolean later(OptionalInt hops, int k) {
        return hops.isPresent() && hops.getAsInt() > k;
    }

    private static List<Long> groupsNamed(FlowRule f) {
        List<Long> out = new ArrayList<>();
        for (Instruction i : f.instructions()) {
            if (i instanceof Instruction.ApplyActions a) {
                a.actions().stream().filter(x -> x instanceof Action.Group)
                        .forEach(x -> out.add(((Action.Group) x).groupId()));
            }
        }
        return out;
    }

    /** The switch of the host a flow sends to (a flow matching its MAC as destination). */
    private static Optional<Long> destinationOf(FlowRule f, Map<Long, Long> switchOfHost) {
        return f.match().get(Field.ETH_DST).filter(FieldMatch::isExact)
                .map(m -> switchOfHost.get(m.value()));
    }
}
