package io.weft.controller.plain;

import io.weft.model.MacAddress;
import io.weft.model.flow.Action;
import io.weft.model.flow.FailoverGroup;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs frames through compiled plain-switch flows the way OpenFlow switches joined by the topology's links would:
 * highest priority per table, apply-actions then goto-table, output to the ingress port suppressed. Says where a frame
 * went: every switch it crossed, every host port it left by, every packet-in.
 */
final class FabricSim {

    /** A copy of the frame arriving at a switch port. */
    record Arrival(PortRef at, int linksCrossed) {
    }

    record Result(List<Arrival> arrivals, List<Arrival> delivered, List<PortRef> toController) {
        long arrivalsAt(long dpid) {
            return arrivals.stream().filter(a -> a.at().dpid() == dpid).count();
        }
    }

    private static final int MAX_ARRIVALS = 10_000;

    private final Set<Link> cables;
    private final Map<Long, PlainFlows.SwitchState> state;
    /** Ports whose cable was pulled: down, as fast-failover groups see them. */
    private final Set<PortRef> down;

    FabricSim(Topology topology) {
        this(topology, Set.of());
    }

    /** With the switches in {@code singleTable} on OpenFlow 1.0's one table, the others on 1.3's two. */
    FabricSim(Topology topology, Set<Long> singleTable) {
        this(topology.links(), PlainFlows.desired(topology, singleTable), Set.of());
    }

    /** Switches holding {@code state} (not necessarily compiled from these cables) joined by {@code cables}. */
    FabricSim(Set<Link> cables, Map<Long, PlainFlows.SwitchState> state, Set<PortRef> down) {
        this.cables = Set.copyOf(cables);
        this.state = Map.copyOf(state);
        this.down = Set.copyOf(down);
    }

    /** The same switches, their tables untouched, with {@code cable} pulled: both its ports go down. */
    FabricSim withoutCable(Link cable) {
        Set<Link> rest = new java.util.HashSet<>(cables);
        rest.remove(cable);
        Set<PortRef> nowDown = new java.util.HashSet<>(down);
        nowDown.add(cable.a());
        nowDown.add(cable.b());
        return new FabricSim(rest, state, nowDown);
    }

    /** A frame from {@code src} to {@code dst} entering the fabric at {@code ingress}. */
    Result send(PortRef ingress, MacAddress src, MacAddress dst, long ethType) {
        List<Arrival> arrivals = new ArrayList<>();
        List<Arrival> delivered = new ArrayList<>();
        List<PortRef> controller = new ArrayList<>();
        ArrayDeque<Arrival> queue = new ArrayDeque<>();
        queue.add(new Arrival(ingress, 0));
        while (!queue.isEmpty()) {
            if (arrivals.size() > MAX_ARRIVALS) {
                throw new AssertionError("the frame loops: more than " + MAX_ARRIVALS + " arrivals");
            }
            Arrival a = queue.poll();
            arrivals.add(a);
            for (long out : outputs(a.at(), src, dst, ethType)) {
                PortRef port = new PortRef(a.at().dpid(), out);
                if (out == Action.PORT_CONTROLLER) {
                    controller.add(a.at());
                    continue;
                }
                if (down.contains(port)) {
                    continue;                   // out of a port that is down: lost
                }
                Link link = cables.stream().filter(l -> l.touches(port)).findFirst().orElse(null);
                if (link != null) {
                    queue.add(new Arrival(link.peer(port), a.linksCrossed() + 1));
                } else {
                    delivered.add(new Arrival(port, a.linksCrossed()));
                }
            }
        }
        return new Result(arrivals, delivered, controller);
    }

    private List<Long> outputs(PortRef in, MacAddress src, MacAddress dst, long ethType) {
        List<Long> out = new ArrayList<>();
        int table = 0;
        while (true) {
            int t = table;
            PlainFlows.SwitchState sw = state.get(in.dpid());
            FlowRule hit = (sw == null ? List.<FlowRule>of() : sw.flows()).stream().filter(f -> f.tableId() == t)
                    .filter(f -> matches(f, in.port(), src, dst, ethType))
                    .max(Comparator.comparingInt(FlowRule::priority)).orElse(null);
            if (hit == null) {
                return out;
            }
            Integer next = null;
            for (Instruction i : hit.instructions()) {
                if (i instanceof Instruction.ApplyActions apply) {
                    for (Action action : apply.actions()) {
                        output(sw, in, action, out);
                    }
                } else if (i instanceof Instruction.GotoTable g) {
                    next = g.tableId();
                }
            }
            if (next == null) {
                return out;
            }
            table = next;
        }
    }

    /** An output, or a fast-failover group's first bucket whose port is up (none: dropped). */
    private void output(PlainFlows.SwitchState sw, PortRef in, Action action, List<Long> out) {
        if (action instanceof Action.Group g) {
            FailoverGroup group = sw.groups().values().stream().filter(x -> x.id() == g.groupId()).findFirst()
                    .orElseThrow(() -> new AssertionError("switch " + in.dpid() + " names group " + g.groupId()
                            + " it does not hold"));
            group.live(port -> !down.contains(new PortRef(in.dpid(), port)))
                    .ifPresent(b -> b.actions().forEach(a -> output(sw, in, a, out)));
            return;
        }
        long port = ((Action.Output) action).port();
        if (port != in.port()) {
            out.add(port);
        }
    }

    private static boolean matches(FlowRule f, long inPort, MacAddress src, MacAddress dst, long ethType) {
        for (FieldMatch m : f.match().fields()) {
            long value = switch (m.field()) {
                case IN_PORT -> inPort;
                case ETH_SRC -> src.bits();
                case ETH_DST -> dst.bits();
                case ETH_TYPE -> ethType;
                default -> throw new AssertionError("plain flows do not match " + m.field());
            };
            if (!m.matches(value)) {
                return false;
            }
        }
        return true;
    }
}
