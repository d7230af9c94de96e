package io.weft.flows;

import static io.weft.flows.ReferenceTopology.GREEN_C1;
import static io.weft.flows.ReferenceTopology.GREEN_C2;
import static io.weft.flows.ReferenceTopology.GREEN_C3;
import static io.weft.flows.ReferenceTopology.RED_C1;
import static io.weft.flows.ReferenceTopology.RED_C2;
import static io.weft.flows.ReferenceTopology.RED_C3;
import static io.weft.flows.ReferenceTopology.RED_C4;
import static io.weft.flows.ReferenceTopology.ROUTED;
import static io.weft.flows.ReferenceTopology.ROUTED_C1;
import static io.weft.flows.ReferenceTopology.ROUTED_C2;
import static io.weft.flows.ReferenceTopology.ROUTED_C3;
import static io.weft.flows.ReferenceTopology.ofport;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Endpoint;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import io.weft.model.flow.Action;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples, walked through the compiled flows of the reference topology. */
class ScenarioTest {

    private final NetworkSnapshot snapshot = ReferenceTopology.snapshot();
    private final FabricWalker fabric = FabricWalker.compiled(snapshot);

    private List<FlowRule> flows(String host) {
        return FlowCompiler.compile(snapshot, host).flows();
    }

    private Trace walkFrom(Endpoint e, Packet p) {
        return PacketWalker.walk(flows(e.host()), p, ofport(e));
    }

    private static Packet udp(Endpoint from, MacAddress dstMac, String dstIp) {
        return Packet.udp(from.mac(), dstMac, from.ip(), Ipv4Address.parse(dstIp));
    }

    private static List<String> tablesOf(Trace t) {
        return t.steps().stream().map(s -> s.table().name()).toList();
    }

    @Test
    void arpFromRedC1For10_65_10_3IsAnsweredWithC3sMacOnH1() {
        Trace t = walkFrom(RED_C1, Packet.arpRequest(RED_C1.mac(), RED_C1.ip(), RED_C3.ip()));
        Trace.Output reply = t.singleOutput();
        assertThat(reply.port()).isEqualTo(ofport(RED_C1));
        Packet p = reply.packet();
        assertThat(p.value(Field.ARP_OP)).isEqualTo(EthType.ARP_REPLY);
        assertThat(new MacAddress(p.value(Field.ARP_SHA))).isEqualTo(RED_C3.mac());
        assertThat(Ipv4Address.of((int) p.value(Field.ARP_SPA))).isEqualTo(RED_C3.ip());
        assertThat(p.ethSrc()).isEqualTo(RED_C3.mac());
        assertThat(p.ethDst()).isEqualTo(RED_C1.mac());
        assertThat(new MacAddress(p.value(Field.ARP_THA))).isEqualTo(RED_C1.mac());
        assertThat(Ipv4Address.of((int) p.value(Field.ARP_TPA))).isEqualTo(RED_C1.ip());
        assertThat(tablesOf(t)).containsExactly("classifier", "arp_responder", "arp_reply");
    }

    @Test
    void ipv4FromRedC1ToGreenC3IsDropped() {
        Trace t = walkFrom(RED_C1, udp(RED_C1, GREEN_C3.mac(), "10.65.10.30"));
        assertThat(t.isDropped()).as(t.describe()).isTrue();
        assertThat(tablesOf(t)).last().isEqualTo("l2_forward");
        assertThat(walkFrom(RED_C1, Packet.arpRequest(RED_C1.mac(), RED_C1.ip(), GREEN_C3.ip())).isDropped()).isTrue();
        assertThat(fabric.walk("h1", udp(RED_C1, GREEN_C3.mac(), "10.65.10.30"), ofport(RED_C1)).isDropped()).isTrue();
    }

    @Test
    void identicalAddressesInRedAndGreenStayInTheirOwnNetwork() {
        // red/c3 and green/c2 share IP and MAC on h2; red/c1 and green/c1 share them on h1.
        FabricWalker.Delivery red = fabric.walk("h1", udp(RED_C1, RED_C3.mac(), "10.65.10.3"), ofport(RED_C1))
                .singleDelivery();
        assertThat(red.host()).isEqualTo("h2");
        assertThat(red.portName()).isEqualTo("red-c3");
        FabricWalker.Delivery green = fabric.walk("h1", udp(GREEN_C1, GREEN_C2.mac(), "10.65.10.3"),
                ofport(GREEN_C1)).singleDelivery();
        assertThat(green.portName()).isEqualTo("green-c2");
        assertThat(green.packet().value(Field.TUNNEL_ID)).isEqualTo(512);
        // green/c1's ARP for red/c2's address is unknown in green.
        assertThat(walkFrom(GREEN_C1, Packet.arpRequest(GREEN_C1.mac(), GREEN_C1.ip(), RED_C2.ip())).isDropped())
                .isTrue();
    }

    @Test
    void aPacketToARemoteEndpointLeavesViaVxlanH2WithTunId256() {
        Trace.Output out = walkFrom(RED_C1, udp(RED_C1, RED_C3.mac(), "10.65.10.3")).singleOutput();
        assertThat(out.port()).isEqualTo(snapshot.ofport("h1", "vxlan-h2").getAsInt());
        assertThat(out.packet().value(Field.TUNNEL_ID)).isEqualTo(256);
        assertThat(out.packet().ttl()).isEqualTo(64);
    }

    @Test
    void localTrafficGoesStraightToThePort() {
        Trace.Output out = walkFrom(RED_C1, udp(RED_C1, RED_C2.mac(), "10.65.10.4")).singleOutput();
        assertThat(out.port()).isEqualTo(ofport(RED_C2));
        assertThat(out.packet().get(Field.TUNNEL_ID)).isEmpty();
    }

    @Test
    void aSpoofedSourceIpFromC1IsDropped() {
        Trace t = walkFrom(RED_C1, udp(RED_C1, RED_C2.mac(), "10.65.10.4").with(Field.IPV4_SRC,
                Ipv4Address.parse("10.65.10.99").asLong()));
        assertThat(t.isDropped()).isTrue();
        assertThat(tablesOf(t)).containsExactly("classifier");
        // Spoofed MAC, spoofed ARP sender IP or MAC, and non-IP/ARP frames are dropped too.
        assertThat(walkFrom(RED_C1, udp(RED_C1, RED_C2.mac(), "10.65.10.4")
                .with(Field.ETH_SRC, 0x020000000099L)).isDropped()).isTrue();
        Packet arp = Packet.arpRequest(RED_C1.mac(), RED_C1.ip(), RED_C2.ip());
        assertThat(walkFrom(RED_C1, arp.with(Field.ARP_SPA, RED_C3.ip().asLong())).isDropped()).isTrue();
        assertThat(walkFrom(RED_C1, arp.with(Field.ARP_SHA, RED_C3.mac().bits())).isDropped()).isTrue();
        assertThat(walkFrom(RED_C1, Packet.other(RED_C1.mac(), RED_C2.mac(), 0x86dd)).isDropped()).isTrue();
    }

    @Test
    void c1In10_1_1ReachesC2In11_1_1ThroughTheGatewayWithTtlMinusOne() {
        Subnet own = ROUTED.subnetOf(ROUTED_C1.ip()).orElseThrow();
        MacAddress gwMac = ROUTED.gatewayMac(own);
        // First the gateway's MAC, by ARP, answered on h1.
        Packet arpReply = walkFrom(ROUTED_C1, Packet.arpRequest(ROUTED_C1.mac(), ROUTED_C1.ip(), own.gateway()))
                .singleOutput().packet();
        assertThat(new MacAddress(arpReply.value(Field.ARP_SHA))).isEqualTo(gwMac);

        FabricWalker.FabricTrace t = fabric.walk("h1", udp(ROUTED_C1, gwMac, "11.1.1.2"), ofport(ROUTED_C1));
        FabricWalker.Delivery d = t.singleDelivery();
        assertThat(d.host()).isEqualTo("h2");
        assertThat(d.port()).isEqualTo(ofport(ROUTED_C2));
        assertThat(d.packet().ttl()).isEqualTo(63);
        assertThat(d.packet().ethSrc()).isEqualTo(ROUTED.gatewayMac(ROUTED.subnetOf(ROUTED_C2.ip()).orElseThrow()));
        assertThat(d.packet().ethDst()).isEqualTo(ROUTED_C2.mac());
        assertThat(d.packet().value(Field.IPV4_SRC)).isEqualTo(ROUTED_C1.ip().asLong());
        // A GRE network uses the gre tunnel ports.
        assertThat(t.hops().get(0).trace().singleOutput().port())
                .isEqualTo(snapshot.ofport("h1", "gre-h2").getAsInt());
        assertThat(t.hops().get(1).inPort()).isEqualTo(snapshot.ofport("h2", "gre-h1").getAsInt());
        // Routed locally too, and back the other way.
        assertThat(fabric.walk("h1", udp(ROUTED_C1, gwMac, "11.1.1.3"), ofport(ROUTED_C1)).singleDelivery()
                .portName()).isEqualTo("routed-c3");
    }

    @Test
    void sameSubnetTrafficSentToTheGatewayMacIsNotRouted() {
        MacAddress gw11 = ROUTED.gatewayMac(ROUTED.subnetOf(ROUTED_C3.ip()).orElseThrow());
        assertThat(walkFrom(ROUTED_C3, udp(ROUTED_C3, gw11, "11.1.1.2")).isDropped()).isTrue();
    }

    @Test
    void ttlOfOneDiesAtTheGateway() {
        MacAddress gwMac = ROUTED.gatewayMac(ROUTED.subnetOf(ROUTED_C1.ip()).orElseThrow());
        Trace t = walkFrom(ROUTED_C1, udp(ROUTED_C1, gwMac, "11.1.1.2").withTtl(1));
        assertThat(t.outcome()).isEqualTo(new Trace.Dropped("l3_gateway: TTL expired"));
    }

    @Test
    void icmpEchoToTheGatewayIsAnsweredInTheDatapath() {
        Subnet own = ROUTED.subnetOf(ROUTED_C1.ip()).orElseThrow();
        MacAddress gwMac = ROUTED.gatewayMac(own);
        Trace t = walkFrom(ROUTED_C1, Packet.icmpEcho(ROUTED_C1.mac(), gwMac, ROUTED_C1.ip(), own.gateway()));
        Trace.Output out = t.singleOutput();
        assertThat(out.port()).isEqualTo(ofport(ROUTED_C1));
        Packet p = out.packet();
        assertThat(p.value(Field.ICMPV4_TYPE)).isZero();
        assertThat(p.value(Field.IPV4_SRC)).isEqualTo(own.gateway().asLong());
        assertThat(p.value(Field.IPV4_DST)).isEqualTo(ROUTED_C1.ip().asLong());
        assertThat(p.ethSrc()).isEqualTo(gwMac);
        assertThat(p.ethDst()).isEqualTo(ROUTED_C1.mac());
        assertThat(tablesOf(t)).containsExactly("classifier", "l3_gateway", "icmp_reply");
    }

    @Test
    void tunnelTrafficIsAcceptedOnlyForLocalNetworksWithTheirEncapsulationAndNeverReTunnelled() {
        Packet toC3 = udp(RED_C1, RED_C3.mac(), "10.65.10.3").with(Field.TUNNEL_ID, 256);
        int vxlanH1 = snapshot.ofport("h2", "vxlan-h1").getAsInt();
        int greH1 = snapshot.ofport("h2", "gre-h1").getAsInt();
        assertThat(PacketWalker.walk(flows("h2"), toC3, vxlanH1).singleOutput().port()).isEqualTo(ofport(RED_C3));
        assertThat(PacketWalker.walk(flows("h2"), toC3, greH1).isDropped()).as("wrong encapsulation").isTrue();
        assertThat(PacketWalker.walk(flows("h2"), toC3.with(Field.TUNNEL_ID, 999), vxlanH1).isDropped()).isTrue();
        // green/c2 has red/c3's MAC: tun_id 512 reaches green's port, not red's.
        assertThat(PacketWalker.walk(flows("h2"), toC3.with(Field.TUNNEL_ID, 512), vxlanH1).singleOutput().port())
                .isEqualTo(ofport(GREEN_C2));
        // A packet for red/c1 (on h1) arriving at h2 from h3 is not sent on to h1: split horizon.
        int vxlanH3 = snapshot.ofport("h2", "vxlan-h3").getAsInt();
        assertThat(PacketWalker.walk(flows("h2"), udp(RED_C3, RED_C1.mac(), "10.65.10.2").with(Field.TUNNEL_ID, 256),
                vxlanH3).isDropped()).isTrue();
        // h3 holds only red/c4 (not bound yet): red's VNI is accepted, but nothing is delivered or re-tunnelled;
        // routed's VNI (gre) is not accepted at all.
        Trace atH3 = PacketWalker.walk(flows("h3"), toC3, snapshot.ofport("h3", "vxlan-h1").getAsInt());
        assertThat(atH3.isDropped()).isTrue();
        assertThat(atH3.steps()).last().extracting(s -> s.table().name()).isEqualTo("l2_forward");
        Trace greAtH3 = PacketWalker.walk(flows("h3"), toC3.with(Field.TUNNEL_ID, 768),
                snapshot.ofport("h3", "gre-h1").getAsInt());
        assertThat(greAtH3.steps()).last().extracting(s -> s.table().name()).isEqualTo("tunnel_ingress");
    }

    @Test
    void broadcastUnknownUnicastAndStrayArpAreDropped() {
        assertThat(walkFrom(RED_C1, udp(RED_C1, MacAddress.BROADCAST, "10.65.10.255")).isDropped()).isTrue();
        assertThat(walkFrom(RED_C1, udp(RED_C1, MacAddress.parse("01:00:5e:00:00:01"), "224.0.0.1")).isDropped())
                .isTrue();
        assertThat(walkFrom(RED_C1, udp(RED_C1, MacAddress.parse("02:00:00:00:00:77"), "10.65.10.77")).isDropped())
                .isTrue();
        Packet gratuitous = Packet.arpRequest(RED_C1.mac(), RED_C1.ip(), RED_C1.ip()).with(Field.ARP_OP, 2);
        assertThat(walkFrom(RED_C1, gratuitous).isDropped()).isTrue();
        assertThat(walkFrom(RED_C1, Packet.arpRequest(RED_C1.mac(), RED_C1.ip(), Ipv4Address.parse("10.65.10.99")))
                .isDropped()).isTrue();
    }

    @Test
    void anUnboundEndpointHasNoFlowsOnItsOwnHostWhileOtherHostsAlreadyTunnelToIt() {
        long cookie = io.weft.model.flow.Cookies.of(io.weft.model.flow.Cookies.Kind.ENDPOINT, RED_C4.id().toString());
        assertThat(flows(RED_C4.host())).noneMatch(f -> f.cookie() == cookie);
        // Other hosts' flows toward it depend only on their own tunnels, so they are there before its port is: the
        // ARP for it is answered, and a packet to it crosses the tunnel to be dropped on its host, where nothing
        // delivers it yet.
        assertThat(flows(RED_C1.host())).anyMatch(f -> f.cookie() == cookie);
        FabricWalker.FabricTrace toC4 = fabric.walk(RED_C1.host(),
                udp(RED_C1, RED_C4.mac(), RED_C4.ip().toString()), ReferenceTopology.ofport(RED_C1));
        assertThat(toC4.hops()).extracting(FabricWalker.Hop::host).containsExactly(RED_C1.host(), RED_C4.host());
        assertThat(toC4.deliveries()).isEmpty();
    }

    private static Packet dnsQuery(Endpoint from, MacAddress dstMac, String dstIp) {
        return udp(from, dstMac, dstIp).with(Field.UDP_DST, NameQueries.DNS_PORT);
    }

    @Test
    void dnsQueriesFromAnEndpointGoToTheControllerThroughTheMeterWhateverTheirDestination() {
        MacAddress gwMac = ReferenceTopology.RED.gatewayMac(ReferenceTopology.RED.subnetOf(RED_C1.ip()).orElseThrow());
        for (Packet query : List.of(dnsQuery(RED_C1, gwMac, ReferenceTopology.RED.subnetOf(RED_C1.ip())
                        .orElseThrow().gateway().toString()),
                dnsQuery(RED_C1, RED_C3.mac(), RED_C3.ip().toString()),
                dnsQuery(RED_C1, gwMac, "192.0.2.53"))) {
            Trace t = walkFrom(RED_C1, query);
            assertThat(t.singleOutput().port()).as(t.describe()).isEqualTo(Action.PORT_CONTROLLER);
            assertThat(t.singleOutput().packet()).isEqualTo(query);
            assertThat(tablesOf(t)).containsExactly("classifier", "l3_gateway");
            assertThat(t.steps().get(1).flow().orElseThrow().instructions())
                    .contains(Instruction.meter(NameQueries.METER.id()));
        }
    }

    @Test
    void dnsOverTcpFromAnEndpointGoesToTheControllerThroughTheMeterWhateverItsDestination() {
        MacAddress gwMac = ReferenceTopology.RED.gatewayMac(ReferenceTopology.RED.subnetOf(RED_C1.ip()).orElseThrow());
        String gateway = ReferenceTopology.RED.subnetOf(RED_C1.ip()).orElseThrow().gateway().toString();
        for (String dst : List.of(gateway, "192.0.2.53")) {
            Packet segment = Packet.tcp(RED_C1.mac(), gwMac, RED_C1.ip(), Ipv4Address.parse(dst))
                    .with(Field.TCP_DST, NameQueries.DNS_PORT);
            Trace t = walkFrom(RED_C1, segment);
            assertThat(t.singleOutput().port()).as(t.describe()).isEqualTo(Action.PORT_CONTROLLER);
            assertThat(tablesOf(t)).containsExactly("classifier", "l3_gateway");
            assertThat(t.steps().get(1).flow().orElseThrow().instructions())
                    .contains(Instruction.meter(NameQueries.METER.id()));
        }
        FabricWalker.Delivery other = fabric.walk("h1", Packet.tcp(RED_C1.mac(), RED_C3.mac(), RED_C1.ip(),
                RED_C3.ip()).with(Field.TCP_DST, 80), ofport(RED_C1)).singleDelivery();
        assertThat(other.host()).as("TCP to other ports is forwarded as before").isEqualTo(RED_C3.host());
    }

    @Test
    void aDnsQueryWithASpoofedSourceNeverReachesTheController() {
        Packet spoofed = Packet.udp(RED_C1.mac(), RED_C3.mac(), RED_C3.ip(), RED_C3.ip())
                .with(Field.UDP_DST, NameQueries.DNS_PORT);
        Trace t = walkFrom(RED_C1, spoofed);
        assertThat(t.isDropped()).as(t.describe()).isTrue();
        assertThat(tablesOf(t)).containsExactly("classifier");
    }

    @Test
    void udpToOtherPortsIsForwardedAsBefore() {
        FabricWalker.Delivery d = fabric.walk("h1", udp(RED_C1, RED_C3.mac(), RED_C3.ip().toString())
                .with(Field.UDP_DST, 54), ofport(RED_C1)).singleDelivery();
        assertThat(d.host()).isEqualTo(RED_C3.host());
    }
}
