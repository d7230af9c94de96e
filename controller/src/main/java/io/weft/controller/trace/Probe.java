package io.weft.controller.trace;

import io.weft.flows.Packet;
import io.weft.model.Endpoint;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import io.weft.model.flow.Field;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The packet a trace walks, built from the endpoints' addresses as the container would send it: to an endpoint of its
 * own subnet with that endpoint's MAC, off its subnet or to its gateway with the gateway's MAC, and to an address of
 * its subnet that no endpoint holds, the ARP request it would send first (nothing else leaves it before that is
 * answered).
 *
 * @param inPort       the ofport of {@code from}'s port on its host; empty while its port is not on br-int
 * @param target       the endpoint of the network that holds {@code targetIp}, if one does
 * @param resolvesFirst the query asked for an IPv4 packet, and the packet is the ARP request sent before it
 */
record Probe(Network network, Endpoint from, OptionalInt inPort, Packet packet, String proto, Ipv4Address targetIp,
             Optional<Endpoint> target, boolean resolvesFirst) {

    static final List<String> PROTOS = List.of("icmp", "tcp", "udp", "arp");

    static Probe of(NetworkSnapshot s, TraceQuery q) {
        Network network = s.network(q.network()).orElseThrow(() -> new TraceQueryException("network " + q.network()
                + " does not exist"));
        Endpoint from = endpoint(s, network, q.from()).orElseThrow(() -> new TraceQueryException("endpoint "
                + q.from() + " does not exist in network " + network.name()));
        String proto = q.proto().toLowerCase(Locale.ROOT);
        if (!PROTOS.contains(proto)) {
            throw new TraceQueryException("proto '" + q.proto() + "' is not one of " + String.join(", ", PROTOS));
        }
        if (q.dstPort().isPresent()) {
            if (!proto.equals("tcp") && !proto.equals("udp")) {
                throw new TraceQueryException("dstPort is for proto tcp or udp, not " + proto);
            }
            if (q.dstPort().getAsInt() < 1 || q.dstPort().getAsInt() > 65535) {
                throw new TraceQueryException("dstPort " + q.dstPort().getAsInt() + " is outside 1..65535");
            }
        }
        Optional<Endpoint> named = endpoint(s, network, q.to());
        Ipv4Address targetIp = named.map(Endpoint::ip).orElseGet(() -> ipv4("to", q.to(), " is neither an "
                + "endpoint of network " + network.name() + " nor an IPv4 address"));
        Optional<Endpoint> target = named.or(() -> s.index().holdersOf(network.name(), targetIp).stream().findFirst());
        MacAddress srcMac = q.srcMac().map(Probe::mac).orElse(from.mac());
        Ipv4Address srcIp = q.srcIp().map(ip -> ipv4("srcIp", ip, " is not an IPv4 address")).orElse(from.ip());
        Subnet own = network.subnetOf(from.ip()).orElseThrow();
        // The gateway's ARP is always answered in the datapath (proto arp traces it): to it, the packet itself.
        boolean onLink = own.cidr().contains(targetIp) && !own.gateway().equals(targetIp);
        boolean resolvesFirst = !proto.equals("arp") && onLink && target.isEmpty();
        Packet packet;
        if (proto.equals("arp") || resolvesFirst) {
            packet = Packet.arpRequest(srcMac, srcIp, targetIp);
        } else {
            MacAddress dstMac = onLink ? target.orElseThrow().mac() : network.gatewayMac(own);
            packet = switch (proto) {
                case "tcp" -> Packet.tcp(srcMac, dstMac, srcIp, targetIp);
                case "udp" -> Packet.udp(srcMac, dstMac, srcIp, targetIp);
                default -> Packet.icmpEcho(srcMac, dstMac, srcIp, targetIp);
            };
            if (q.dstPort().isPresent()) {
                packet = packet.with(proto.equals("udp") ? Field.UDP_DST : Field.TCP_DST, q.dstPort().getAsInt());
            }
        }
        return new Probe(network, from, s.ofport(from.host(), from.port()), packet, proto, targetIp, target,
                resolvesFirst);
    }

    private static Optional<Endpoint> endpoint(NetworkSnapshot s, Network network, String name) {
        return s.endpoints().values().stream()
                .filter(e -> e.network().equals(network.name()) && e.id().name().equals(name)).findFirst();
    }

    private static Ipv4Address ipv4(String what, String text, String otherwise) {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TraceQueryException(what + " '" + text + "'" + otherwise);
        }
    }

    private static MacAddress mac(String text) {
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TraceQueryException("srcMac '" + text + "' is not a MAC address");
        }
    }
}
