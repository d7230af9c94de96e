package io.weft.controller.plain;

import io.weft.model.MacAddress;
import io.weft.model.flow.Action;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import io.weft.model.flow.FailoverGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What every plain switch should hold, as a pure function of the {@link Topology}: two tables, OpenFlow 1.3.
 * <pre>
 * table 0 (learn)    LLDP                          -> controller            (discovery)
 *                    in_port=link port             -> table 1               (what crossed a link was learned before)
 *                    in_port=P, dl_src=M           -> table 1               (host M, learned at P)
 *                    anything else                 -> controller, table 1   (an unknown sender, or one that moved)
 * table 1 (forward)  dl_dst=M                      -> the port starting a shortest path to M's switch (or M's port)
 *                    in_port=P (P floods)          -> every other flooding port: spanning-tree and host ports
 *                                                     (and the controller, while ports of this switch probe)
 *                    in_port=P (P probes)          -> controller (which floods it: {@link ProbationFlood})
 *                    anything else                 -> drop (broadcast arriving off the tree)
 * </pre>
 * Unknown senders are forwarded at once while the controller learns them, so no packet waits for the controller.
 * Cookies name what produced each flow and depend only on it, so the same topology always gives the same flows.
 * Switches that speak only OpenFlow 1.0 get the same forwarding in one table ({@link SingleTableFlows}).
 */
public final class PlainFlows {

    public static final int LEARN_TABLE = 0;
    public static final int FORWARD_TABLE = 1;
    public static final long ETH_TYPE_LLDP = 0x88cc;

    static final int PRIORITY_DISCOVERY = 1000;
    static final int PRIORITY_LINK = 300;
    static final int PRIORITY_HOST = 200;
    static final int PRIORITY_UNKNOWN = 0;
    static final int PRIORITY_TO_HOST = 100;
    static final int PRIORITY_FLOOD = 10;

    private static final long DISCOVERY = Cookies.of(Cookies.Kind.PLAIN, "plain/discovery");
    static final long UNKNOWN = Cookies.of(Cookies.Kind.PLAIN, "plain/learn");

    private PlainFlows() {
    }

    /** What one switch should hold: its flows, and the fast-failover groups they name (none on OpenFlow 1.0). */
    public record SwitchState(List<FlowRule> flows, SortedMap<Long, FailoverGroup> groups) {
        public SwitchState {
            flows = List.copyOf(flows);
            groups = Collections.unmodifiableSortedMap(new TreeMap<>(groups));
        }
    }

    /** Every switch of the topology's flows, by datapath id, all of them OpenFlow 1.3 switches. */
    public static Map<Long, List<FlowRule>> compile(Topology t) {
        return compile(t, Set.of());
    }

    /** Every switch of the topology's flows, by datapath id (as {@link #desired}, without the groups). */
    public static Map<Long, List<FlowRule>> compile(Topology t, Set<Long> singleTable) {
        Map<Long, List<FlowRule>> out = new TreeMap<>();
        desired(t, singleTable).forEach((dpid, s) -> out.put(dpid, s.flows()));
        return out;
    }

    /**
     * What every switch of the topology should hold, by datapath id: the switches in {@code singleTable} (OpenFlow
     * 1.0) get {@link SingleTableFlows}, which forward the same way in one table; the others these two tables, where
     * what goes to another switch's hosts takes that switch's {@link FailoverGroups fast-failover group} if it has one.
     */
    public static Map<Long, SwitchState> desired(Topology t, Set<Long> singleTable) {
        return desired(t, Paths.of(t), singleTable);
    }

    /** As {@link #desired(Topology, Set)}, with the topology's {@code paths} already computed. */
    public static Map<Long, SwitchState> desired(Topology t, Paths paths, Set<Long> singleTable) {
        SortedSet<PortRef> flooding = new TreeSet<>(t.edgePorts());
        flooding.addAll(paths.treePorts());
        Map<Long, SwitchState> out = new TreeMap<>();
        for (long dpid : t.switches()) {
            if (singleTable.contains(dpid)) {
                out.put(dpid, new SwitchState(SingleTableFlows.forSwitch(t, paths, flooding, dpid), new TreeMap<>()));
            } else {
                SortedMap<Long, FailoverGroup> groups = FailoverGroups.forSwitch(paths, t.switches(), dpid);
                out.put(dpid, new SwitchState(forSwitch(t, paths, groups, flooding, dpid), groups));
            }
        }
        return out;
    }

    /**
     * Whether {@code f}, a flow of an earlier run read back from a switch, names one of its ports as a link's end:
     * table 0's flow for what arrives on a link, in either pipeline.
     */
    public static boolean namesLinkPort(FlowRule f) {
        return f.tableId() == LEARN_TABLE && f.match().fields().size() == 1 && f.match().get(Field.IN_PORT).isPresent()
                && (f.priority() == PRIORITY_LINK || f.priority() == SingleTableFlows.PRIORITY_FROM_LINK);
    }

    private static List<FlowRule> forSwitch(Topology t, Paths paths, SortedMap<Long, FailoverGroup> groups,
                                            SortedSet<PortRef> flooding, long dpid) {
        List<FlowRule> flows = new ArrayList<>();
        flows.add(discovery());
        flows.add(new FlowRule(LEARN_TABLE, PRIORITY_UNKNOWN, Match.ANY,
                List.of(Instruction.apply(Action.output(Action.PORT_CONTROLLER)),
                        Instruction.gotoTable(FORWARD_TABLE)), UNKNOWN));
        for (PortRef p : t.portsOf(dpid)) {
            if (t.isLinkPort(p)) {
                flows.add(new FlowRule(LEARN_TABLE, PRIORITY_LINK,
                        Match.builder().exact(Field.IN_PORT, p.port()).build(),
                        List.of(Instruction.gotoTable(FORWARD_TABLE)), cookie("link/" + p)));
            }
        }
        for (LearnedHost h : t.hosts().values()) {
            long cookie = cookie("host/" + h.mac());
            if (h.at().dpid() == dpid) {
                flows.add(new FlowRule(LEARN_TABLE, PRIORITY_HOST, Match.builder()
                        .exact(Field.IN_PORT, h.at().port()).exact(Field.ETH_SRC, h.mac().bits()).build(),
                        List.of(Instruction.gotoTable(FORWARD_TABLE)), cookie));
                flows.add(toHost(h.mac(), Action.output(h.at().port()), cookie));
            } else if (groups.containsKey(h.at().dpid())) {
                flows.add(toHost(h.mac(), Action.group(groups.get(h.at().dpid()).id()), cookie));
            } else {
                paths.nextPort(dpid, h.at().dpid())
                        .ifPresent(port -> flows.add(toHost(h.mac(), Action.output(port), cookie)));
            }
        }
        SortedSet<PortRef> mine = Topology.onSwitch(flooding, dpid);
        // While some of its ports probe, what it floods also goes to the controller, which sends it out of them.
        SortedSet<PortRef> probing = Topology.onSwitch(t.probing(), dpid);
        for (PortRef in : mine) {
            List<Action> outs = new ArrayList<>();
            if (!probing.isEmpty()) {
                outs.add(Action.output(Action.PORT_CONTROLLER));
            }
            outs.addAll(floodFrom(mine, in));
            if (!outs.isEmpty()) {
                flows.add(new FlowRule(FORWARD_TABLE, PRIORITY_FLOOD,
                        Match.builder().exact(Field.IN_PORT, in.port()).build(),
                        List.of(Instruction.apply(outs)), cookie("flood/" + in)));
            }
        }
        for (PortRef in : probing) {
            flows.add(new FlowRule(FORWARD_TABLE, PRIORITY_FLOOD, Match.builder().exact(Field.IN_PORT, in.port())
                    .build(), List.of(Instruction.apply(Action.output(Action.PORT_CONTROLLER))), cookie("probe/" + in)));
        }
        return flows;
    }

    /** LLDP to the controller: the same flow in both pipelines. */
    static FlowRule discovery() {
        return new FlowRule(LEARN_TABLE, PRIORITY_DISCOVERY, Match.builder().exact(Field.ETH_TYPE, ETH_TYPE_LLDP).build(),
                List.of(Instruction.apply(Action.output(Action.PORT_CONTROLLER))), DISCOVERY);
    }

    /** Out of every flooding port of the switch but {@code in}; none when {@code in} does not flood (drop). */
    static List<Action> floodFrom(SortedSet<PortRef> mine, PortRef in) {
        if (!mine.contains(in)) {
            return List.of();
        }
        return mine.stream().filter(p -> !p.equals(in)).map(p -> (Action) Action.output(p.port())).toList();
    }

    /** Where {@code dpid} sends what is for {@code h}: its own port, or the first link of a shortest path. */
    static java.util.Optional<Long> portToward(Paths paths, long dpid, LearnedHost h) {
        return h.at().dpid() == dpid ? java.util.Optional.of(h.at().port()) : paths.nextPort(dpid, h.at().dpid());
    }

    private static FlowRule toHost(MacAddress mac, Action out, long cookie) {
        return new FlowRule(FORWARD_TABLE, PRIORITY_TO_HOST, Match.builder().exact(Field.ETH_DST, mac.bits()).build(),
                List.of(Instruction.apply(out)), cookie);
    }

    static long cookie(String owner) {
        return Cookies.of(Cookies.Kind.PLAIN, "plain/" + owner);
    }
}
