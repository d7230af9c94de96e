package io.weft.controller.plain;

import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * What a plain switch that speaks only OpenFlow 1.0 should hold: {@link PlainFlows}' two tables folded into one,
 * forwarding every frame as they do (same paths, same spanning tree, same copies to the controller).
 * <pre>
 * 1000  LLDP                                 -> controller                       (discovery)
 *  400  in_port=P, dl_src=H, dl_dst=M        -> toward M                         (H learned at P: known sender)
 *  300  in_port=P, dl_src=H                  -> flood from P                     (known sender, unknown destination)
 *  250  in_port=P, dl_dst=M                  -> controller, toward M             (anyone else sending from P)
 *  200  in_port=P                            -> controller, flood from P
 *  100  dl_dst=M                             -> toward M                         (what crossed a link)
 *   10  in_port=L                            -> flood from L (drop off the tree)
 *    0  anything else                        -> controller                       (as OpenFlow 1.0's table miss)
 * </pre>
 * P is every up port that is no link's end (host ports and probing ports), L every link's end, M every learned host
 * this switch has a way to. Without goto, "is the sender known here?" cannot be asked once and the answer reused:
 * each sender class carries its own copy of the destinations, so a switch holds about (its hosts + its host ports)
 * times all hosts flows rather than its ports plus all hosts. In exchange a sender that is new, or that moved here,
 * is reported from its first frame whatever it sends (unicast included), as with 1.3, so moves are learned at once.
 * Cookies follow {@link PlainFlows}: a flow toward M carries M's cookie, so its owner is the host it forwards to.
 */
final class SingleTableFlows {

    static final int PRIORITY_KNOWN_TO_HOST = 400;
    static final int PRIORITY_KNOWN_FLOOD = 300;
    static final int PRIORITY_UNKNOWN_TO_HOST = 250;
    static final int PRIORITY_UNKNOWN_FLOOD = 200;
    static final int PRIORITY_TO_HOST = 100;
    static final int PRIORITY_FROM_LINK = 10;
    static final int PRIORITY_MISS = 0;

    private static final Action TO_CONTROLLER = Action.output(Action.PORT_CONTROLLER);

    private SingleTableFlows() {
    }

    static List<FlowRule> forSwitch(Topology t, Paths paths, SortedSet<PortRef> flooding, long dpid) {
        // Every learned host this switch has a way to, with the port that way starts at.
        Map<LearnedHost, Long> toward = new LinkedHashMap<>();
        for (LearnedHost h : t.hosts().values()) {
            PlainFlows.portToward(paths, dpid, h).ifPresent(port -> toward.put(h, port));
        }
        SortedSet<PortRef> mine = Topology.onSwitch(flooding, dpid);
        List<FlowRule> flows = new ArrayList<>();
        flows.add(PlainFlows.discovery());
        flows.add(new FlowRule(PlainFlows.LEARN_TABLE, PRIORITY_MISS, Match.ANY,
                List.of(Instruction.apply(TO_CONTROLLER)), PlainFlows.UNKNOWN));
        toward.forEach((m, port) -> flows.add(rule(PRIORITY_TO_HOST, Match.builder()
                .exact(Field.ETH_DST, m.mac().bits()).build(), List.of(Action.output(port)), hostCookie(m))));
        for (PortRef p : t.portsOf(dpid)) {
            Match fromP = Match.builder().exact(Field.IN_PORT, p.port()).build();
            if (t.isLinkPort(p)) {
                flows.add(rule(PRIORITY_FROM_LINK, fromP, PlainFlows.floodFrom(mine, p),
                        PlainFlows.cookie("link/" + p)));
                continue;
            }
            List<Action> reportAndFlood = new ArrayList<>(List.of(TO_CONTROLLER));
            reportAndFlood.addAll(PlainFlows.floodFrom(mine, p));
            flows.add(rule(PRIORITY_UNKNOWN_FLOOD, fromP, reportAndFlood, PlainFlows.cookie("flood/" + p)));
            toward.forEach((m, port) -> flows.add(rule(PRIORITY_UNKNOWN_TO_HOST, Match.builder()
                    .exact(Field.IN_PORT, p.port()).exact(Field.ETH_DST, m.mac().bits()).build(),
                    List.of(TO_CONTROLLER, Action.output(port)), hostCookie(m))));
        }
        for (LearnedHost h : t.hosts().values()) {
            if (h.at().dpid() != dpid) {
                continue;
            }
            flows.add(rule(PRIORITY_KNOWN_FLOOD, Match.builder().exact(Field.IN_PORT, h.at().port())
                    .exact(Field.ETH_SRC, h.mac().bits()).build(), PlainFlows.floodFrom(mine, h.at()), hostCookie(h)));
            toward.forEach((m, port) -> flows.add(rule(PRIORITY_KNOWN_TO_HOST, Match.builder()
                    .exact(Field.IN_PORT, h.at().port()).exact(Field.ETH_SRC, h.mac().bits())
                    .exact(Field.ETH_DST, m.mac().bits()).build(), List.of(Action.output(port)), hostCookie(m))));
        }
        return flows;
    }

    /** A flow of the one table; no actions is a drop. */
    private static FlowRule rule(int priority, Match match, List<Action> actions, long cookie) {
        return new FlowRule(PlainFlows.LEARN_TABLE, priority, match,
                actions.isEmpty() ? List.of() : List.of(Instruction.apply(actions)), cookie);
    }

    private static long hostCookie(LearnedHost h) {
        return PlainFlows.cookie("host/" + h.mac());
    }
}
