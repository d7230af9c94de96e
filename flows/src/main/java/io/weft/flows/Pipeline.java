package io.weft.flows;

import static io.weft.model.flow.Field.ARP_OP;
import static io.weft.model.flow.Field.ARP_SHA;
import static io.weft.model.flow.Field.ARP_SPA;
import static io.weft.model.flow.Field.ARP_THA;
import static io.weft.model.flow.Field.ARP_TPA;
import static io.weft.model.flow.Field.ETH_DST;
import static io.weft.model.flow.Field.ETH_SRC;
import static io.weft.model.flow.Field.ETH_TYPE;
import static io.weft.model.flow.Field.ICMPV4_TYPE;
import static io.weft.model.flow.Field.IN_PORT;
import static io.weft.model.flow.Field.IPV4_DST;
import static io.weft.model.flow.Field.IPV4_SRC;
import static io.weft.model.flow.Field.IP_PROTO;
import static io.weft.model.flow.Field.METADATA;
import static io.weft.model.flow.Field.TCP_DST;
import static io.weft.model.flow.Field.TUNNEL_ID;
import static io.weft.model.flow.Field.UDP_DST;

import io.weft.flows.Table.Effect;
import io.weft.model.flow.Action;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Weft's OpenFlow 1.3 pipeline on br-int, declared once. See {@code flows/PIPELINE.md} for the operator's view.
 *
 * <pre>
 * classifier ─┬─ local IPv4 ─▶ l3_gateway ─┬─ echo to gateway ─▶ icmp_reply ─▶ IN_PORT
 *             │                            ├─ DNS query ───────▶ meter ─▶ CONTROLLER
 *             │                            └─ routed / other ──▶ l2_forward ─▶ local port | tunnel
 *             ├─ local ARP ──▶ arp_responder ─▶ arp_reply ─▶ IN_PORT
 *             └─ tunnel ─────▶ tunnel_ingress ─▶ l2_forward (local ports only)
 * </pre>
 */
public final class Pipeline {

    public static final Table CLASSIFIER = new Table("classifier", 0,
            "Port security for endpoint ports and network selection; tunnel ports are marked as such; all else dropped.",
            Set.of(IN_PORT, ETH_SRC, ETH_TYPE, IPV4_SRC, ARP_SPA, ARP_SHA), Set.of(),
            Set.of("tunnel_ingress", "arp_responder", "l3_gateway"), Set.of(Effect.WRITE_METADATA));
    public static final Table TUNNEL_INGRESS = new Table("tunnel_ingress", 5,
            "tun_id selects the network, only for networks with endpoints here and the tunnel's encapsulation.",
            Set.of(METADATA, TUNNEL_ID), Set.of(), Set.of("l2_forward"), Set.of(Effect.WRITE_METADATA));
    public static final Table ARP_RESPONDER = new Table("arp_responder", 10,
            "ARP stage A: turns a request for a known IP into a reply from that IP's MAC; unknown targets dropped.",
            Set.of(METADATA, ETH_TYPE, ARP_OP, ARP_TPA), Set.of(ETH_SRC, ARP_OP, ARP_SHA, ARP_SPA),
            Set.of("arp_reply"), Set.of());
    public static final Table ARP_REPLY = new Table("arp_reply", 11,
            "ARP stage B: addresses the reply to the requester, known by its port, and sends it back.",
            Set.of(IN_PORT, ETH_TYPE), Set.of(ETH_DST, ARP_THA, ARP_TPA), Set.of(), Set.of(Effect.OUTPUT));
    public static final Table L3_GATEWAY = new Table("l3_gateway", 20,
            "Distributed gateway: answers echo requests to gateway IPs, routes between subnets of a network; "
                    + "DNS queries (UDP and TCP port 53, any destination) go to the controller through the names meter.",
            Set.of(METADATA, ETH_TYPE, ETH_DST, IPV4_DST, IP_PROTO, ICMPV4_TYPE, UDP_DST, TCP_DST),
            Set.of(ETH_SRC, ETH_DST, IPV4_SRC, ICMPV4_TYPE), Set.of("icmp_reply", "l2_forward"),
            Set.of(Effect.DEC_TTL, Effect.PUNT));
    public static final Table ICMP_REPLY = new Table("icmp_reply", 21,
            "Echo stage B: addresses the gateway's echo reply to the requester, known by its port, and sends it back.",
            Set.of(IN_PORT, ETH_TYPE), Set.of(ETH_DST, IPV4_DST), Set.of(), Set.of(Effect.OUTPUT));
    public static final Table L2_FORWARD = new Table("l2_forward", 30,
            "Unicast by destination MAC within the network: local port, or tunnel toward the endpoint's host "
                    + "(local origin only); broadcast, multicast and unknown unicast dropped.",
            Set.of(METADATA, ETH_DST), Set.of(TUNNEL_ID), Set.of(), Set.of(Effect.OUTPUT));

    public static final List<Table> TABLES = List.of(CLASSIFIER, TUNNEL_INGRESS, ARP_RESPONDER, ARP_REPLY, L3_GATEWAY,
            ICMP_REPLY, L2_FORWARD);

    private static final Map<String, Table> BY_NAME = TABLES.stream()
            .collect(Collectors.toUnmodifiableMap(Table::name, Function.identity()));
    private static final Map<Integer, Table> BY_NUMBER = TABLES.stream()
            .collect(Collectors.toUnmodifiableMap(Table::number, Function.identity()));

    static {
        for (Table t : TABLES) {
            for (String target : t.gotos()) {
                Table next = BY_NAME.get(target);
                if (next == null || next.number() <= t.number()) {
                    throw new ExceptionInInitializerError("table " + t.name() + " may not goto " + target);
                }
            }
        }
    }

    private Pipeline() {
    }

    public static Table table(String name) {
        Table t = BY_NAME.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no table named " + name + " (tables: " + BY_NAME.keySet() + ")");
        }
        return t;
    }

    public static Optional<Table> byNumber(int number) {
        return Optional.ofNullable(BY_NUMBER.get(number));
    }

    /** @throws InvalidFlowException when the flow does something its table does not allow */
    public static FlowRule validate(FlowRule flow) {
        Table t = byNumber(flow.tableId())
                .orElseThrow(() -> new InvalidFlowException(flow, "table " + flow.tableId() + " is not in the pipeline"));
        for (FieldMatch m : flow.match().fields()) {
            if (!t.matches().contains(m.field())) {
                throw new InvalidFlowException(flow, t.name() + " may not match " + m.field());
            }
        }
        for (Instruction i : flow.instructions()) {
            if (i instanceof Instruction.GotoTable g) {
                Table next = BY_NUMBER.get(g.tableId());
                if (next == null || !t.gotos().contains(next.name())) {
                    throw new InvalidFlowException(flow, t.name() + " may not goto table " + g.tableId());
                }
            } else if (i instanceof Instruction.WriteMetadata w) {
                require(flow, t, Effect.WRITE_METADATA);
                if ((w.mask() & ~Metadata.ALL) != 0) {
                    throw new InvalidFlowException(flow, "write-metadata outside Weft's bits");
                }
            } else if (i instanceof Instruction.Meter) {
                require(flow, t, Effect.PUNT);
            } else if (i instanceof Instruction.ApplyActions a) {
                for (Action action : a.actions()) {
                    validateAction(flow, t, action);
                }
            }
        }
        return flow;
    }

    private static void validateAction(FlowRule flow, Table t, Action action) {
        if (action instanceof Action.SetField s) {
            if (!t.sets().contains(s.field())) {
                throw new InvalidFlowException(flow, t.name() + " may not set " + s.field());
            }
        } else if (action instanceof Action.Output o && o.port() == Action.PORT_CONTROLLER) {
            require(flow, t, Effect.PUNT);
            if (flow.instructions().stream().noneMatch(Instruction.Meter.class::isInstance)) {
                throw new InvalidFlowException(flow, "a flow that sends to the controller must pass a meter");
            }
        } else if (action instanceof Action.Output) {
            require(flow, t, Effect.OUTPUT);
        } else if (action instanceof Action.DecNwTtl) {
            require(flow, t, Effect.DEC_TTL);
        } else {
            throw new InvalidFlowException(flow, t.name() + " may not use " + action);
        }
    }

    private static void require(FlowRule flow, Table t, Effect effect) {
        if (!t.effects().contains(effect)) {
            throw new InvalidFlowException(flow, t.name() + " may not " + effect.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }
}
