package io.weft.flows;

import io.weft.model.Endpoint;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.routing.DistributedGateway;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Packets worth asking a switch about for one snapshot: from every bound endpoint ARP for every address anyone knows
 * (and a stranger's), unicast to every MAC, routing through every gateway toward every endpoint (also with TTL 1),
 * echo to every gateway and endpoint, spoofed sources, IPv6, broadcast, an ARP reply; from every tunnel port a frame
 * with every network's VNI (and one nobody uses) to every MAC; from a port Weft does not know, a frame to every MAC.
 */
final class Probes {

    /** One packet entering one host's switch on one port. */
    record Probe(String host, long inPort, Packet packet, String what) {
    }

    private static final Ipv4Address STRANGER_IP = Ipv4Address.parse("10.99.99.99");
    private static final MacAddress STRANGER_MAC = MacAddress.parse("02:99:00:00:00:01");
    private static final int UNUSED_VNI = 0xbeef;

    private Probes() {
    }

    static List<Probe> of(NetworkSnapshot s) {
        Map<MacAddress, Ipv4Address> known = new LinkedHashMap<>();   // every MAC anyone knows, with its IP
        Set<DistributedGateway.GatewayPort> gateways = new LinkedHashSet<>();
        for (Endpoint e : s.endpoints().values()) {
            known.put(e.mac(), e.ip());
        }
        for (Network n : s.networks().values()) {
            for (DistributedGateway.GatewayPort g : DistributedGateway.ports(n)) {
                known.put(g.mac(), g.ip());
                gateways.add(g);
            }
        }
        known.put(STRANGER_MAC, STRANGER_IP);
        known.put(MacAddress.BROADCAST, Ipv4Address.parse("255.255.255.255"));
        List<Probe> probes = new ArrayList<>();
        for (Endpoint a : s.endpoints().values()) {
            s.ofport(a.host(), a.port()).ifPresent(port -> fromEndpoint(a, port, s, known, gateways, probes));
        }
        for (String host : s.hosts().keySet()) {
            s.ofports().getOrDefault(host, Map.of()).forEach((name, port) -> {
                if (FabricWalker.tunnelEnd(s, host, name).isPresent()) {
                    fromTunnel(host, port, name, s, known, probes);
                }
            });
            known.forEach((mac, ip) -> probes.add(new Probe(host, OvsFabric.STRANGER_OFPORT,
                    Packet.udp(STRANGER_MAC, mac, STRANGER_IP, ip), "unknown port to " + mac)));
        }
        return probes;
    }

    private static void fromEndpoint(Endpoint a, int port, NetworkSnapshot s, Map<MacAddress, Ipv4Address> known,
                                     Set<DistributedGateway.GatewayPort> gateways, List<Probe> probes) {
        String from = a.id() + " ";
        known.forEach((mac, ip) -> {
            probes.add(new Probe(a.host(), port, Packet.arpRequest(a.mac(), a.ip(), ip), from + "ARP for " + ip));
            probes.add(new Probe(a.host(), port, Packet.udp(a.mac(), mac, a.ip(), ip), from + "UDP to " + mac));
            probes.add(new Probe(a.host(), port, Packet.icmpEcho(a.mac(), mac, a.ip(), ip), from + "echo to " + ip));
        });
        for (DistributedGateway.GatewayPort g : gateways) {
            for (Endpoint b : s.endpoints().values()) {
                Packet routed = Packet.udp(a.mac(), g.mac(), a.ip(), b.ip());
                probes.add(new Probe(a.host(), port, routed, from + "UDP via " + g.ip() + " to " + b.id()));
                probes.add(new Probe(a.host(), port, routed.withTtl(1), from + "TTL 1 via " + g.ip() + " to " + b.id()));
            }
        }
        Ipv4Address gateway = s.networks().get(a.network()).subnetOf(a.ip()).orElseThrow().gateway();
        Packet arp = Packet.arpRequest(a.mac(), a.ip(), gateway);
        probes.add(new Probe(a.host(), port, arp.with(Field.ARP_OP, EthType.ARP_REPLY), from + "ARP reply"));
        probes.add(new Probe(a.host(), port, arp.with(Field.ARP_SPA, STRANGER_IP.asLong()), from + "ARP, spoofed IP"));
        probes.add(new Probe(a.host(), port, arp.with(Field.ARP_SHA, STRANGER_MAC.bits()), from + "ARP, spoofed MAC"));
        probes.add(new Probe(a.host(), port, arp.with(Field.ETH_SRC, STRANGER_MAC.bits()), from + "ARP, spoofed source"));
        probes.add(new Probe(a.host(), port, Packet.udp(a.mac(), gatewayMac(s, a), STRANGER_IP, gateway),
                from + "UDP, spoofed IP"));
        probes.add(new Probe(a.host(), port, Packet.udp(STRANGER_MAC, gatewayMac(s, a), a.ip(), gateway),
                from + "UDP, spoofed MAC"));
        probes.add(new Probe(a.host(), port, Packet.other(a.mac(), gatewayMac(s, a), 0x86dd), from + "IPv6"));
    }

    private static MacAddress gatewayMac(NetworkSnapshot s, Endpoint a) {
        Network n = s.networks().get(a.network());
        return n.gatewayMac(n.subnetOf(a.ip()).orElseThrow());
    }

    private static void fromTunnel(String host, int port, String name, NetworkSnapshot s,
                                   Map<MacAddress, Ipv4Address> known, List<Probe> probes) {
        List<Integer> vnis = new ArrayList<>(s.networks().values().stream().map(Network::vni).toList());
        vnis.add(UNUSED_VNI);
        for (int vni : vnis) {
            known.forEach((mac, ip) -> probes.add(new Probe(host, port,
                    Packet.udp(STRANGER_MAC, mac, STRANGER_IP, ip).with(Field.TUNNEL_ID, vni),
                    name + " VNI " + vni + " to " + mac)));
            probes.add(new Probe(host, port, Packet.arpRequest(STRANGER_MAC, STRANGER_IP, STRANGER_IP)
                    .with(Field.TUNNEL_ID, vni), name + " VNI " + vni + " ARP"));
        }
    }
}
