package io.weft.flows;

import io.weft.model.flow.Action;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import io.weft.model.flow.Meter;
import java.util.List;

/**
 * DNS queries sent by an endpoint go to the controller, which answers them (see {@code flows/PIPELINE.md}, "Names"):
 * UDP datagrams and TCP segments to port 53 alike (over TCP the controller terminates the connection itself).
 * In {@code l3_gateway}, so only packets that passed port security (a local endpoint's own MAC and IP) are punted,
 * whatever their destination address: queries to the gateway and those a resolver inside the container's namespace
 * (Docker's embedded one) forwards to its configured servers alike. Tunnelled packets never reach this table. The
 * meter bounds what the hosts' containers together can make the switch send to the controller; beyond it the switch
 * drops, so a flood costs the controller at most {@link #METER}'s rate per host.
 */
public final class NameQueries {

    /** The flows' cookie: the controller recognises a packet-in as a DNS query by it. */
    public static final long COOKIE = Cookies.of(Cookies.Kind.PIPELINE, "names");
    public static final int DNS_PORT = 53;
    /** Meter 1 on every br-int: 1000 queries/s per host after a burst of 200. */
    public static final Meter METER = new Meter(1, 1000, 200);
    /** Above the gateway's own flows (100), which never match port 53 (they match echo or a gateway MAC). */
    static final int PRIORITY = 200;

    /** UDP and TCP to port 53, through one meter: a host's queries over both together are bounded by its rate. */
    static final List<FlowRule> FLOWS = List.of(punt(EthType.IP_PROTO_UDP, Field.UDP_DST),
            punt(EthType.IP_PROTO_TCP, Field.TCP_DST));

    private static FlowRule punt(long ipProto, Field dstPort) {
        return Rules.rule(Pipeline.L3_GATEWAY, PRIORITY, Match.builder()
                        .exact(Field.ETH_TYPE, EthType.IPV4)
                        .exact(Field.IP_PROTO, ipProto)
                        .exact(dstPort, DNS_PORT).build(), COOKIE,
                Instruction.meter(METER.id()), Instruction.apply(Action.output(Action.PORT_CONTROLLER)));
    }

    private NameQueries() {
    }
}
