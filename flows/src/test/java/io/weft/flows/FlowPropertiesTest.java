package io.weft.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Endpoint;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import io.weft.model.TunnelPort;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.routing.DistributedGateway;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Properties over random snapshots, checked by walking packets through the compiled flows of every host. */
class FlowPropertiesTest {

    private static boolean bound(NetworkSnapshot s, Endpoint e) {
        return s.ofport(e.host(), e.port()).isPresent();
    }

    private static int ofport(NetworkSnapshot s, Endpoint e) {
        return s.ofport(e.host(), e.port()).getAsInt();
    }

    /** The endpoint bound to a delivery's port, if any. */
    private static Endpoint endpointAt(NetworkSnapshot s, FabricWalker.Delivery d) {
        return s.endpoints().values().stream()
                .filter(e -> e.host().equals(d.host()) && e.port().equals(d.portName())).findFirst().orElse(null);
    }

    @Property(tries = 150)
    void everyPairInANetworkReachesEachOtherAfterArp(@ForAll long seed) {
        NetworkSnapshot s = new RandomTopology(seed).snapshot(1);
        FabricWalker fabric = FabricWalker.compiled(s);
        for (Endpoint a : s.endpoints().values()) {
            for (Endpoint b : s.endpoints().values()) {
                if (a.equals(b) || !a.network().equals(b.network()) || !bound(s, a) || !bound(s, b)) {
                    continue;
                }
                Network n = s.networks().get(a.network());
                Subnet subnetA = n.subnetOf(a.ip()).orElseThrow();
                boolean sameSubnet = subnetA.cidr().contains(b.ip());
                Ipv4Address nextHopIp = sameSubnet ? b.ip() : subnetA.gateway();

                FabricWalker.FabricTrace arp = fabric.walk(a.host(), Packet.arpRequest(a.mac(), a.ip(), nextHopIp),
                        ofport(s, a));
                FabricWalker.Delivery reply = arp.singleDelivery();
                assertThat(reply.host()).isEqualTo(a.host());
                assertThat(reply.port()).isEqualTo(ofport(s, a));
                assertThat(reply.packet().value(Field.ARP_OP)).isEqualTo(EthType.ARP_REPLY);
                assertThat(reply.packet().value(Field.ARP_SPA)).isEqualTo(nextHopIp.asLong());
                assertThat(reply.packet().ethDst()).isEqualTo(a.mac());
                assertThat(reply.packet().value(Field.ARP_TPA)).isEqualTo(a.ip().asLong());
                MacAddress learned = new MacAddress(reply.packet().value(Field.ARP_SHA));
                assertThat(learned).isEqualTo(sameSubnet ? b.mac() : n.gatewayMac(subnetA));

                FabricWalker.FabricTrace t = fabric.walk(a.host(), Packet.udp(a.mac(), learned, a.ip(), b.ip()),
                        ofport(s, a));
                FabricWalker.Delivery d = t.singleDelivery();
                assertThat(d.host()).as(t.describe()).isEqualTo(b.host());
                assertThat(d.port()).isEqualTo(ofport(s, b));
                assertThat(d.packet().ethDst()).isEqualTo(b.mac());
                assertThat(d.packet().value(Field.IPV4_DST)).isEqualTo(b.ip().asLong());
                assertThat(d.packet().value(Field.IPV4_SRC)).isEqualTo(a.ip().asLong());
                assertThat(d.packet().ttl()).isEqualTo(sameSubnet ? 64 : 63);
                if (!a.host().equals(b.host())) {
                    assertThat(d.packet().value(Field.TUNNEL_ID)).isEqualTo(n.vni());
                    assertThat(t.hops().get(1).inPort()).isEqualTo(s.ofport(b.host(),
                            TunnelPort.portName(a.host(), n.encapsulation())).getAsInt());
                }
            }
        }
    }

    @Property(tries = 150)
    void networksNeverExchangeAPacket(@ForAll long seed) {
        NetworkSnapshot s = new RandomTopology(seed).snapshot(1);
        FabricWalker fabric = FabricWalker.compiled(s);
        // Every address anyone knows: endpoints and gateways of all networks.
        Set<Ipv4Address> ips = new HashSet<>();
        Set<MacAddress> macs = new HashSet<>();
        for (Endpoint e : s.endpoints().values()) {
            ips.add(e.ip());
            macs.add(e.mac());
        }
        for (Network n : s.networks().values()) {
            for (DistributedGateway.GatewayPort gw : DistributedGateway.ports(n)) {
                ips.add(gw.ip());
                macs.add(gw.mac());
            }
        }
        for (Endpoint a : s.endpoints().values()) {
            if (!bound(s, a)) {
                continue;
            }
            Network own = s.networks().get(a.network());
            Set<MacAddress> ownMacs = new HashSet<>();
            s.endpoints().values().stream().filter(e -> e.network().equals(a.network())).forEach(e -> ownMacs.add(e.mac()));
            DistributedGateway.ports(own).forEach(g -> ownMacs.add(g.mac()));
            for (Ipv4Address ip : ips) {
                FabricWalker.FabricTrace arp = fabric.walk(a.host(), Packet.arpRequest(a.mac(), a.ip(), ip), ofport(s, a));
                for (FabricWalker.Delivery d : arp.deliveries()) {
                    assertThat(d.port()).isEqualTo(ofport(s, a));
                    assertThat(new MacAddress(d.packet().value(Field.ARP_SHA))).isIn(ownMacs);
                }
                for (MacAddress mac : macs) {
                    FabricWalker.FabricTrace t = fabric.walk(a.host(), Packet.udp(a.mac(), mac, a.ip(), ip), ofport(s, a));
                    for (FabricWalker.Delivery d : t.deliveries()) {
                        Endpoint to = endpointAt(s, d);
                        assertThat(to).as(t.describe()).isNotNull();
                        assertThat(to.network()).as(t.describe()).isEqualTo(a.network());
                    }
                }
            }
        }
        // From tunnels: a packet is only delivered to an endpoint of the network its tun_id and tunnel type name.
        for (String host : s.hosts().keySet()) {
            for (Map.Entry<String, Integer> port : s.ofports().get(host).entrySet()) {
                if (!port.getKey().startsWith("vxlan-") && !port.getKey().startsWith("gre-")) {
                    continue;
                }
                for (Network n : s.networks().values()) {
                    for (MacAddress mac : macs) {
                        Packet p = Packet.udp(MacAddress.parse("02:00:00:00:00:01"), mac,
                                Ipv4Address.parse("10.65.10.200"), Ipv4Address.parse("10.65.10.201"))
                                .with(Field.TUNNEL_ID, n.vni());
                        FabricWalker.FabricTrace t = fabric.walk(host, p, port.getValue());
                        assertThat(t.hops()).as("split horizon").hasSize(1);
                        for (FabricWalker.Delivery d : t.deliveries()) {
                            Endpoint to = endpointAt(s, d);
                            assertThat(to.network()).isEqualTo(n.name());
                            assertThat(port.getKey()).startsWith(n.encapsulation().ovsType() + "-");
                        }
                    }
                }
            }
        }
    }

    @Property(tries = 100)
    void compilingIsDeterministicAndKeysAreUnique(@ForAll long seed) {
        RandomTopology topology = new RandomTopology(seed);
        NetworkSnapshot s = topology.snapshot(1);
        List<Endpoint> shuffled = new ArrayList<>(topology.endpoints);
        Collections.shuffle(shuffled, topology.random());
        NetworkSnapshot same = NetworkSnapshot.of(2, topology.hosts, topology.networks, shuffled,
                new HashMap<>(s.ofports()));
        for (String host : s.hosts().keySet()) {
            List<FlowRule> flows = FlowCompiler.compile(s, host).flows();
            assertThat(FlowCompiler.compile(same, host).flows()).isEqualTo(flows);
            assertThat(FlowCompiler.compile(s, s.hosts().keySet()).get(host).flows()).isEqualTo(flows);
            Set<FlowKey> keys = new HashSet<>();
            flows.forEach(f -> assertThat(keys.add(f.key())).as("duplicate %s", f).isTrue());
        }
    }

    @Property(tries = 300)
    void deltaAppliedToTheOldCompileIsTheNewCompile(@ForAll long seed) {
        RandomTopology topology = new RandomTopology(seed);
        NetworkSnapshot before = topology.snapshot(1);
        int changes = 1 + topology.random().nextInt(3);
        for (int i = 0; i < changes; i++) {
            int kind = topology.random().nextInt(4);
            if (kind == 0 || topology.endpoints.isEmpty()) {
                topology.addEndpoint(topology.random().nextBoolean());
            } else if (kind == 1) {
                topology.removeRandomEndpoint();
            } else if (kind == 2) {
                Endpoint e = topology.pick();
                if (before.ofport(e.host(), e.port()).isPresent()) {
                    topology.unbind(e);
                } else {
                    topology.bind(e);
                }
            } else {
                // A tunnel port rebinds: the host-level fallback.
                String host = topology.hosts.get(topology.random().nextInt(topology.hosts.size())).name();
                topology.ofports.get(host).replaceAll((p, o) -> p.startsWith("vxlan-") ? o + 50 : o);
            }
        }
        NetworkSnapshot after = topology.snapshot(2);
        Map<String, FlowDelta> delta = FlowCompiler.delta(before, after);
        for (String host : after.hosts().keySet()) {
            Set<FlowRule> applied = delta.getOrDefault(host, FlowDelta.EMPTY)
                    .applyTo(FlowCompiler.compile(before, host).flows());
            assertThat(applied).containsExactlyInAnyOrderElementsOf(FlowCompiler.compile(after, host).flows());
        }
        assertThat(delta.values()).noneMatch(FlowDelta::isEmpty);
    }

    @Property(tries = 200)
    void oneEndpointDeltaEqualsTheGeneralDelta(@ForAll long seed) {
        RandomTopology topology = new RandomTopology(seed);
        NetworkSnapshot before = topology.snapshot(1);
        Endpoint changed = topology.endpoints.isEmpty() || topology.random().nextBoolean()
                ? topology.addEndpoint(true) : topology.removeRandomEndpoint();
        NetworkSnapshot after = topology.snapshot(2);
        Map<String, FlowDelta> fast = FlowCompiler.delta(before, after, new SnapshotChange(false, Set.of(changed.id()), Map.of(), Set.of()));
        assertThat(fast).isEqualTo(FlowCompiler.delta(before, after));
        for (String host : after.hosts().keySet()) {
            assertThat(fast.getOrDefault(host, FlowDelta.EMPTY).applyTo(FlowCompiler.compile(before, host).flows()))
                    .containsExactlyInAnyOrderElementsOf(FlowCompiler.compile(after, host).flows());
        }
    }
}
