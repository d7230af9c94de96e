package io.weft.controller.trace;

import io.weft.controller.trace.FlowOwners.EndpointOwner;
import io.weft.controller.trace.FlowOwners.HostOwner;
import io.weft.controller.trace.FlowOwners.NetworkOwner;
import io.weft.controller.trace.FlowOwners.Owner;
import io.weft.controller.trace.PacketTrace.Delivered;
import io.weft.controller.trace.PacketTrace.Step;
import io.weft.controller.trace.PacketTrace.Verdict;
import io.weft.flows.FabricWalker;
import io.weft.flows.FabricWalker.FabricTrace;
import io.weft.flows.FabricWalker.Hop;
import io.weft.flows.FabricWalker.TunnelEnd;
import io.weft.flows.NameQueries;
import io.weft.flows.Packet;
import io.weft.flows.Pipeline;
import io.weft.flows.Table;
import io.weft.flows.Trace;
import io.weft.model.Endpoint;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.Action;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.OfctlFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Names what the walker found in the user's terms: each step's table, the network (by the VNI in metadata), whose flow
 * matched (by its cookie), the VNI on the wire, and where the packet was delivered or why it was dropped. Pure: it
 * reads only the snapshot, the probe and the walk.
 */
final class TraceExplainer {

    /** The verdict, its one-sentence reason, and every step named. */
    record Explained(Verdict verdict, String reason, Optional<Delivered> deliveredTo, List<Step> steps) {
    }

    private static final long VNI_MASK = 0xff_ffffL;

    private final NetworkSnapshot s;
    private final Probe probe;
    private final FlowOwners owners;

    private TraceExplainer(NetworkSnapshot s, Probe probe) {
        this.s = s;
        this.probe = probe;
        this.owners = FlowOwners.of(s);
    }

    static Explained explain(NetworkSnapshot s, Probe probe, FabricTrace walk) {
        return new TraceExplainer(s, probe).explain(walk);
    }

    /** The sender's port is not on its host's bridge yet: nothing it sends reaches a flow. */
    static Explained notOnBridge(Probe probe) {
        Endpoint from = probe.from();
        return new Explained(Verdict.DROPPED, from.id().name() + "'s port " + from.port() + " is not on br-int of "
                + from.host() + " yet: nothing it sends reaches Weft's flows", Optional.empty(), List.of());
    }

    private Explained explain(FabricTrace walk) {
        List<Step> steps = new ArrayList<>();
        for (Hop hop : walk.hops()) {
            for (Trace.Step step : hop.trace().steps()) {
                steps.add(step(hop, step));
            }
        }
        if (!walk.deliveries().isEmpty()) {
            FabricWalker.Delivery d = walk.deliveries().get(0);
            if (d.port() == Action.PORT_CONTROLLER) {
                return new Explained(Verdict.DELIVERED, "sent to the controller by " + d.host() + "'s switch: a DNS "
                        + "query, which Weft answers with the names of " + networkText(Optional.of(probe.network()))
                        + " (others forwarded upstream or refused), from the address it was sent to",
                        Optional.of(new Delivered(d.host(), null, "controller")), steps);
            }
            Optional<Endpoint> at = endpointAt(d.host(), d.portName());
            Delivered delivered = new Delivered(d.host(), at.map(e -> e.id().name()).orElse(null),
                    d.portName() == null ? "ofport " + d.port() : d.portName());
            return new Explained(Verdict.DELIVERED, delivered(walk, d, at), Optional.of(delivered), steps);
        }
        return new Explained(Verdict.DROPPED, dropped(walk), Optional.empty(), steps);
    }

    // ---- the steps

    private Step step(Hop hop, Trace.Step step) {
        Optional<FlowRule> flow = step.flow();
        Optional<Owner> owner = flow.flatMap(f -> owners.of(f.cookie()));
        Optional<Network> network = network(step.metadata());
        OptionalInt vni = OptionalInt.empty();
        for (long port : outputs(flow, hop.inPort())) {
            if (tunnel(hop.host(), port).isPresent()) {
                vni = OptionalInt.of((int) step.packet().get(Field.TUNNEL_ID).orElse(0));
            }
        }
        return new Step(hop.host(), step.table().number(), step.table().name(),
                flow.map(f -> OptionalInt.of(f.priority())).orElse(OptionalInt.empty()),
                flow.map(f -> OfctlFormat.match(f.match())).orElse(""),
                flow.map(f -> OfctlFormat.instructions(f.instructions())).orElse(""),
                flow.map(f -> "0x" + Long.toHexString(f.cookie())),
                network.map(Network::name),
                owner.filter(o -> o instanceof EndpointOwner).map(o -> ((EndpointOwner) o).endpoint().id().name()),
                explanation(hop, step, owner, network), vni);
    }

    private String explanation(Hop hop, Trace.Step step, Optional<Owner> owner, Optional<Network> network) {
        Table table = step.table();
        boolean miss = step.flow().isEmpty() || step.flow().get().priority() == 0;
        Packet packet = step.packet();
        String ownerText = owner.map(this::whose).orElse(step.flow().isPresent()
                ? "a flow Weft does not know (cookie 0x" + Long.toHexString(step.flow().get().cookie()) + ")" : "");
        if (table.equals(Pipeline.CLASSIFIER)) {
            if (miss) {
                return "no flow accepts this packet on " + portText(hop.host(), hop.inPort()) + ": "
                        + endpointAt(hop.host(), portName(hop.host(), hop.inPort())).map(e -> portSecurity(e, packet))
                        .orElse("dropped");
            }
            Optional<TunnelEnd> tunnel = tunnel(hop.host(), hop.inPort());
            if (tunnel.isPresent()) {
                return "arrived from " + tunnel.get().peer() + " through tunnel "
                        + portName(hop.host(), hop.inPort()) + " (" + tunnel.get().encapsulation().ovsType()
                        + "), " + ownerText;
            }
            return "port security passed: the source addresses are those of the endpoint on port "
                    + portName(hop.host(), hop.inPort()) + ", by " + ownerText + "; the packet is in "
                    + networkText(network);
        }
        if (table.equals(Pipeline.TUNNEL_INGRESS)) {
            long vni = packet.get(Field.TUNNEL_ID).orElse(0);
            return miss ? hop.host() + " does not accept VNI " + vni + " on this tunnel: no network with that VNI and "
                    + "this encapsulation has an endpoint on " + hop.host()
                    : "VNI " + vni + " on the wire is " + networkText(network) + ", which has endpoints on "
                    + hop.host() + ": accepted by " + ownerText;
        }
        if (table.equals(Pipeline.ARP_RESPONDER)) {
            if (miss) {
                return packet.get(Field.ARP_OP).orElse(0) != EthType.ARP_REQUEST
                        ? "ARP replies are dropped: every request is answered in the datapath"
                        : "no endpoint or gateway of " + networkText(network) + " has IP "
                        + Ipv4Address.of((int) packet.value(Field.ARP_TPA)) + ": the ARP request is dropped";
            }
            return "ARP request for " + Ipv4Address.of((int) packet.value(Field.ARP_SPA)) + " answered in the "
                    + "datapath with its MAC " + new MacAddress(packet.value(Field.ARP_SHA)) + ", by " + ownerText;
        }
        if (table.equals(Pipeline.ARP_REPLY) || table.equals(Pipeline.ICMP_REPLY)) {
            String what = table.equals(Pipeline.ARP_REPLY) ? "the ARP reply" : "the echo reply";
            return miss ? "no flow sends " + what + " back: dropped"
                    : what + " goes back out of " + portName(hop.host(), hop.inPort()) + ", by " + ownerText;
        }
        if (table.equals(Pipeline.L3_GATEWAY)) {
            if (step.flow().filter(f -> f.cookie() == NameQueries.COOKIE).isPresent()) {
                String over = packet.get(Field.IP_PROTO).orElse(0) == EthType.IP_PROTO_TCP
                        ? "TCP to port 53, to any address; the controller terminates the connection"
                        : "UDP to port 53, to any address";
                return "a DNS query (" + over + "): to the controller through meter "
                        + NameQueries.METER.id() + " (" + NameQueries.METER.packetsPerSecond() + " queries/s per host "
                        + "after a burst of " + NameQueries.METER.burstPackets() + "; beyond it the switch drops)";
            }
            if (miss) {
                return "not for the gateway: switched by destination MAC";
            }
            if (owner.filter(o -> o instanceof EndpointOwner).isPresent()) {
                return "routed by the distributed gateway of " + networkText(network) + ", by " + ownerText
                        + ": MACs rewritten, TTL decremented";
            }
            return "echo request to the gateway " + Ipv4Address.of((int) packet.value(Field.IPV4_SRC))
                    + " answered by the distributed gateway of " + networkText(network);
        }
        if (table.equals(Pipeline.L2_FORWARD)) {
            MacAddress dst = packet.ethDst();
            if (miss) {
                return "no endpoint of " + networkText(network) + " reachable from here has MAC " + dst
                        + ": dropped (broadcast and unknown destinations are never flooded)";
            }
            List<String> outs = new ArrayList<>();
            for (long port : outputs(step.flow(), hop.inPort())) {
                Optional<TunnelEnd> tunnel = tunnel(hop.host(), port);
                outs.add(tunnel.map(t -> "into tunnel " + portName(hop.host(), port) + " toward " + t.peer()
                        + " with VNI " + packet.get(Field.TUNNEL_ID).orElse(0))
                        .orElse("out of " + portText(hop.host(), port)));
            }
            return "to MAC " + dst + ", by " + ownerText + ": " + String.join(", ", outs);
        }
        return ownerText.isEmpty() ? table.purpose() : ownerText;
    }

    private String portSecurity(Endpoint e, Packet packet) {
        return "port security: " + e.id().name() + " may send only as MAC " + e.mac() + " and IP " + e.ip()
                + ", this packet's source is " + source(packet);
    }

    private static String source(Packet packet) {
        Optional<Long> ip = Optional.ofNullable(packet.fields().get(Field.IPV4_SRC))
                .or(() -> Optional.ofNullable(packet.fields().get(Field.ARP_SPA)));
        return "MAC " + packet.ethSrc() + ip.map(v -> ", IP " + Ipv4Address.of(v.intValue())).orElse("");
    }

    private String whose(Owner owner) {
        if (owner instanceof EndpointOwner e) {
            return "a flow of " + e.endpoint().id().name() + " (on " + e.endpoint().host() + ")";
        } else if (owner instanceof NetworkOwner n) {
            return "a flow of network " + n.network().name();
        } else if (owner instanceof HostOwner h) {
            return "a flow of host " + h.host() + "'s tunnels";
        }
        return "the pipeline's table-miss flow";
    }

    // ---- the verdict

    private String delivered(FabricTrace walk, FabricWalker.Delivery d, Optional<Endpoint> at) {
        Packet out = d.packet();
        boolean backToSender = at.filter(e -> e.equals(probe.from())).isPresent();
        if (backToSender && out.get(Field.ETH_TYPE).orElse(0) == EthType.ARP) {
            return probe.from().id().name() + "'s ARP request for " + probe.targetIp() + " is answered on "
                    + d.host() + " with MAC " + new MacAddress(out.value(Field.ARP_SHA));
        }
        if (backToSender && out.get(Field.ICMPV4_TYPE).orElse(8) == 0) {
            return "the gateway " + probe.targetIp() + " of " + networkText(Optional.of(probe.network()))
                    + " answers " + probe.from().id().name() + "'s echo request on " + d.host();
        }
        String to = at.map(e -> e.id().name() + " (port " + e.port() + ")")
                .orElse(d.portName() == null ? "ofport " + d.port() : d.portName());
        String via = walk.hops().size() > 1
                ? ", through the tunnel from " + walk.hops().get(0).host() + " with VNI "
                + out.get(Field.TUNNEL_ID).orElse(0) : "";
        return "delivered on " + d.host() + " to " + to + via;
    }

    private String dropped(FabricTrace walk) {
        Hop last = walk.hops().get(walk.hops().size() - 1);
        Trace trace = last.trace();
        String on = "dropped on " + last.host();
        if (!trace.isDropped()) {
            return "sent from " + last.host() + " into a tunnel whose far end does not exist (yet): lost";
        }
        Trace.Step step = trace.steps().get(trace.steps().size() - 1);
        String reason = ((Trace.Dropped) trace.outcome()).reason();
        String net = networkText(Optional.of(probe.network()));
        if (reason.endsWith("TTL expired")) {
            return on + ": its TTL expired";
        }
        if (step.table().equals(Pipeline.CLASSIFIER)) {
            return endpointAt(last.host(), portName(last.host(), last.inPort()))
                    .map(e -> on + " by " + portSecurity(e, step.packet()))
                    .orElse(on + ": no flow accepts packets arriving on " + portText(last.host(), last.inPort()));
        }
        if (step.table().equals(Pipeline.TUNNEL_INGRESS)) {
            return on + ": it accepts VNI " + step.packet().get(Field.TUNNEL_ID).orElse(0) + " only for networks "
                    + "with an endpoint there";
        }
        boolean arp = step.packet().get(Field.ETH_TYPE).orElse(0) == EthType.ARP;
        if (probe.target().isEmpty()) {
            boolean onLink = probe.network().subnetOf(probe.from().ip())
                    .filter(sn -> sn.cidr().contains(probe.targetIp())).isPresent();
            String why = onLink || probe.network().subnetOf(probe.targetIp()).isPresent()
                    ? net + " has no endpoint " + probe.targetIp()
                    : net + " has no endpoint " + probe.targetIp() + " and no subnet that holds it: no route";
            String arpNote = probe.resolvesFirst() ? ", so " + probe.from().id().name() + "'s ARP request for it "
                    + "goes unanswered" : "";
            return on + ": " + why + arpNote + isolation();
        }
        if (arp) {
            return on + ": the ARP request for " + probe.targetIp() + " is not answered (" + reason + ")";
        }
        Endpoint target = probe.target().get();
        return on + " in " + step.table().name() + ": no flow there sends it on toward " + target.id().name()
                + " (" + target.ip() + " on " + target.host() + ")";
    }

    /** When another network holds the address: the reason, isolation, in the user's terms. */
    private String isolation() {
        List<String> elsewhere = s.networks().values().stream()
                .filter(n -> !n.name().equals(probe.network().name()))
                .flatMap(n -> s.index().holdersOf(n.name(), probe.targetIp()).stream().findFirst()
                        .map(e -> e.id().name() + " in " + networkText(Optional.of(n))).stream())
                .toList();
        if (elsewhere.isEmpty()) {
            return "";
        }
        String others = s.networks().values().stream().filter(n -> !n.name().equals(probe.network().name()))
                .filter(n -> !s.index().holdersOf(n.name(), probe.targetIp()).isEmpty()).map(Network::name)
                .collect(Collectors.joining(" and "));
        return "; " + probe.targetIp() + " is " + String.join(", ", elsewhere) + ": " + probe.network().name()
                + " and " + others + " are isolated";
    }

    // ---- names

    private Optional<Network> network(long metadata) {
        long vni = metadata & VNI_MASK;
        return vni == 0 ? Optional.empty()
                : s.networks().values().stream().filter(n -> n.vni() == vni).findFirst();
    }

    private static String networkText(Optional<Network> n) {
        return n.map(x -> "network " + x.name() + " (VNI " + x.vni() + ")").orElse("no network");
    }

    private String portName(String host, long ofport) {
        for (Map.Entry<String, Integer> p : s.ofports().getOrDefault(host, Map.of()).entrySet()) {
            if (p.getValue() == ofport) {
                return p.getKey();
            }
        }
        return null;
    }

    private String portText(String host, long ofport) {
        String name = portName(host, ofport);
        Optional<Endpoint> e = endpointAt(host, name);
        return e.map(x -> "port " + name + " (" + x.id().name() + ")")
                .orElse(name == null ? "ofport " + ofport : "port " + name);
    }

    private Optional<Endpoint> endpointAt(String host, String portName) {
        return portName == null ? Optional.empty()
                : s.index().at(host, portName).map(id -> s.endpoints().get(id));
    }

    private Optional<TunnelEnd> tunnel(String host, long ofport) {
        return FabricWalker.tunnelEnd(s, host, portName(host, ofport));
    }

    /** The ports a flow outputs to, IN_PORT resolved. */
    private static List<Long> outputs(Optional<FlowRule> flow, long inPort) {
        List<Long> ports = new ArrayList<>();
        flow.ifPresent(f -> {
            for (Instruction i : f.instructions()) {
                if (i instanceof Instruction.ApplyActions a) {
                    for (Action action : a.actions()) {
                        if (action instanceof Action.Output o) {
                            ports.add(o.port() == Action.PORT_IN_PORT ? inPort : o.port());
                        }
                    }
                }
            }
        });
        return ports;
    }
}
