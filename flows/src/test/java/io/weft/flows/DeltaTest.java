package io.weft.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.FlowRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Deltas of the reference topology for changes the random properties do not make: hosts and networks. */
class DeltaTest {

    private static void assertDeltaIsExact(NetworkSnapshot before, NetworkSnapshot after) {
        Map<String, FlowDelta> delta = FlowCompiler.delta(before, after);
        Set<String> hosts = new java.util.TreeSet<>(before.hosts().keySet());
        hosts.addAll(after.hosts().keySet());
        for (String host : hosts) {
            List<FlowRule> old = before.hosts().containsKey(host) ? FlowCompiler.compile(before, host).flows() : List.of();
            List<FlowRule> now = after.hosts().containsKey(host) ? FlowCompiler.compile(after, host).flows() : List.of();
            assertThat(delta.getOrDefault(host, FlowDelta.EMPTY).applyTo(old)).containsExactlyInAnyOrderElementsOf(now);
        }
        // A host whose flows did not change is absent: its switch has nothing to do, and nobody waits for it.
        assertThat(delta.values()).noneMatch(FlowDelta::isEmpty);
    }

    @Test
    void aNewNetworkWithoutEndpointsChangesNoHostsFlows() {
        NetworkSnapshot before = ReferenceTopology.snapshot();
        Map<String, Network> networks = new java.util.TreeMap<>(before.networks());
        networks.put("blue", new Network("blue", 900, Encapsulation.VXLAN, 1450,
                List.of(io.weft.model.Subnet.of("10.9.0.0/24", "10.9.0.254"))));
        NetworkSnapshot after = new NetworkSnapshot(2, before.hosts(), new java.util.TreeMap<>(networks),
                before.endpoints(), before.ofports());
        assertThat(FlowCompiler.delta(before, after)).isEmpty();
    }

    @Test
    void removingEndpointRedC1TouchesEveryHostOfRedAndOnlyItsCookie() {
        NetworkSnapshot before = ReferenceTopology.snapshot();
        NetworkSnapshot after = ReferenceTopology.without(ReferenceTopology.RED_C1);
        Map<String, FlowDelta> delta = FlowCompiler.delta(before, after, new SnapshotChange(false, Set.of(ReferenceTopology.RED_C1.id()), Map.of(), Set.of()));
        long cookie = Cookies.of(Cookies.Kind.ENDPOINT, "red/c1");
        assertThat(delta.keySet()).containsExactly("h1", "h2", "h3");
        assertThat(delta.values()).allSatisfy(d -> {
            assertThat(d.added()).isEmpty();
            assertThat(d.removed()).allMatch(f -> f.cookie() == cookie);
        });
        assertThat(delta.get("h1").removed()).hasSize(6);
        assertThat(delta.get("h2").removed()).hasSize(2);
        assertDeltaIsExact(before, after);
        assertDeltaIsExact(after, before);
    }

    @Test
    void aHostLeavingOrANetworkChangingEncapsulationRecompiles() {
        NetworkSnapshot before = ReferenceTopology.snapshot();
        List<Endpoint> rest = new ArrayList<>(ReferenceTopology.ENDPOINTS);
        rest.removeIf(e -> e.host().equals("h3"));
        Map<String, Map<String, Integer>> ofports = new HashMap<>(ReferenceTopology.OFPORTS);
        ofports.remove("h3");
        NetworkSnapshot withoutH3 = NetworkSnapshot.of(2, ReferenceTopology.hosts().subList(0, 2),
                List.of(ReferenceTopology.RED, ReferenceTopology.GREEN, ReferenceTopology.ROUTED), rest, ofports);
        assertDeltaIsExact(before, withoutH3);
        assertThat(FlowCompiler.delta(before, withoutH3).get("h3").added()).isEmpty();

        Network redOverGre = new Network("red", 256, Encapsulation.GRE, 1400, ReferenceTopology.RED.subnets());
        NetworkSnapshot gre = NetworkSnapshot.of(3, ReferenceTopology.hosts(),
                List.of(redOverGre, ReferenceTopology.GREEN, ReferenceTopology.ROUTED), ReferenceTopology.ENDPOINTS,
                ReferenceTopology.OFPORTS);
        assertDeltaIsExact(before, gre);
        // After the change red/c3 is reached over gre-h2.
        Trace.Output out = PacketWalker.walk(FlowCompiler.compile(gre, "h1").flows(),
                Packet.udp(ReferenceTopology.RED_C1.mac(), ReferenceTopology.RED_C3.mac(),
                        ReferenceTopology.RED_C1.ip(), ReferenceTopology.RED_C3.ip()),
                ReferenceTopology.ofport(ReferenceTopology.RED_C1)).singleOutput();
        assertThat(out.port()).isEqualTo(gre.ofport("h1", "gre-h2").getAsInt());
    }

    @Test
    void anUnchangedSnapshotHasNoDelta() {
        assertThat(FlowCompiler.delta(ReferenceTopology.snapshot(), ReferenceTopology.snapshot())).isEmpty();
    }

    /** The ARP answer for red/c1 (on h1) in {@code flows}. */
    private static FlowRule arpAnswerForRedC1(List<FlowRule> flows) {
        long cookie = Cookies.of(Cookies.Kind.ENDPOINT, "red/c1");
        return flows.stream().filter(f -> f.cookie() == cookie && f.tableId() == Pipeline.ARP_RESPONDER.number())
                .findFirst().orElseThrow();
    }

    @Test
    void anEndpointsFlowsThatEveryHostHoldsAreOneRuleOnItsOwnHostAndTheOthers() {
        // Compiled together (a controller holds every host's flows), its own host h1 and h2 share the instance.
        NetworkSnapshot snapshot = ReferenceTopology.snapshot();
        Map<String, HostFlows> all = FlowCompiler.compile(snapshot, Set.of("h1", "h2"));
        assertThat(arpAnswerForRedC1(all.get("h1").flows())).isSameAs(arpAnswerForRedC1(all.get("h2").flows()));
        Map<String, FlowDelta> added = FlowCompiler.delta(ReferenceTopology.without(ReferenceTopology.RED_C1),
                snapshot, new SnapshotChange(false, Set.of(ReferenceTopology.RED_C1.id()), Map.of(), Set.of()));
        assertThat(arpAnswerForRedC1(added.get("h1").added())).isSameAs(arpAnswerForRedC1(added.get("h2").added()));
    }
}
