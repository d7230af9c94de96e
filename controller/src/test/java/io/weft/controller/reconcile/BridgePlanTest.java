package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.ovs.DesiredPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The port plan: which ports Weft wants on a host, which ofports it asks for, and how endpoints are bound. */
class BridgePlanTest {

    private static final Host H1 = Host.of("h1", "172.31.1.11");
    private static final Host H2 = Host.of("h2", "172.31.1.12");
    private static final List<String> CONTROLLER = List.of("unix:/run/weft/of.sock");

    private static Endpoint endpoint(String name, String port, int n) {
        Ipv4Address ip = Ipv4Address.parse("10.0.0." + n);
        return new Endpoint(new EndpointId("red", name), "h1", port, MacAddress.fromIpv4(ip), ip);
    }

    private static BridgePort owned(String name, Integer ofport, Integer request) {
        return new BridgePort(name, Optional.ofNullable(ofport), true, Optional.empty(), Optional.empty(),
                Optional.ofNullable(request));
    }

    private static BridgePlan plan(List<Endpoint> endpoints, List<BridgePort> actual, BridgePlan previous) {
        return BridgePlan.of(H1, List.of(H1, H2), endpoints, BridgePorts.of(actual), CONTROLLER, previous);
    }

    private static OptionalInt requestOf(BridgePlan p, String port) {
        return p.bridge().ports().stream().filter(d -> d.name().equals(port)).findFirst().orElseThrow()
                .ofportRequest();
    }

    @Test
    void portsWeftCreatesAskForNumbersInTheUpperHalfAndFlowsUseThemAtOnce() {
        Endpoint c1 = endpoint("c1", "v1", 1);
        BridgePlan p = plan(List.of(c1), List.of(), BridgePlan.NONE);
        assertThat(p.bridge().ports()).extracting(DesiredPort::name)
                .containsExactly("vxlan-h2", "gre-h2", "v1");
        assertThat(p.ofports()).containsOnlyKeys("vxlan-h2", "gre-h2", "v1");
        assertThat(p.ofports().values()).allSatisfy(n -> assertThat(n).isBetween(32768, 65279)).doesNotHaveDuplicates();
        assertThat(requestOf(p, "v1")).hasValue(p.ofports().get("v1"));
        assertThat(p.unconfirmed()).containsExactly(c1.id());
    }

    @Test
    void aRequestIsKeptUntilThePortIsThereThenTheLivePortsNumberIsUsed() {
        Endpoint c1 = endpoint("c1", "v1", 1);
        Endpoint c0 = endpoint("c0", "v0", 2);
        BridgePlan first = plan(List.of(c1), List.of(), BridgePlan.NONE);
        int v1 = first.ofports().get("v1");
        // Another endpoint arrives before OVS made v1: v1 keeps its number (its flows are out already).
        BridgePlan second = plan(List.of(c0, c1), List.of(), first);
        assertThat(second.ofports().get("v1")).isEqualTo(v1);
        assertThat(second.ofports().get("v0")).isNotEqualTo(v1);
        assertThat(second.bridge().ports()).contains(first.bridge().ports().toArray(new DesiredPort[0]));

        // OVS made v1 with what was asked: confirmed, and the wish stays the same.
        BridgePlan third = plan(List.of(c0, c1), List.of(owned("v1", v1, v1)), second);
        assertThat(third.unconfirmed()).containsExactly(c0.id());
        assertThat(third.ofports().get("v1")).isEqualTo(v1);
        assertThat(requestOf(third, "v1")).hasValue(v1);

        // A port made before Weft asked for numbers keeps the number it has, and is not asked to change.
        BridgePlan old = plan(List.of(c1), List.of(owned("v1", 7, null)), BridgePlan.NONE);
        assertThat(old.ofports().get("v1")).isEqualTo(7);
        assertThat(requestOf(old, "v1")).isEmpty();
    }

    @Test
    void numbersOtherPortsHoldOrAskForAreNeverRequested() {
        BridgePort taken = new BridgePort("tap9", Optional.of(32768), false, Optional.empty(), Optional.empty(),
                Optional.of(32768));
        BridgePort asked = new BridgePort("tap8", Optional.empty(), false, Optional.empty(), Optional.empty(),
                Optional.of(32769));
        BridgePlan p = plan(List.of(endpoint("c1", "v1", 1)), List.of(taken, asked), BridgePlan.NONE);
        assertThat(p.ofports().values()).doesNotContain(32768, 32769);

        // A pending request whose number someone else got meanwhile is asked for anew.
        BridgePlan first = plan(List.of(endpoint("c1", "v1", 1)), List.of(), BridgePlan.NONE);
        int v1 = first.ofports().get("v1");
        BridgePort thief = new BridgePort("tap7", Optional.of(v1), false, Optional.empty(), Optional.empty(),
                Optional.empty());
        assertThat(plan(List.of(endpoint("c1", "v1", 1)), List.of(thief), first).ofports().get("v1"))
                .isNotEqualTo(v1);
    }

    @Test
    void aForeignPortNamingTheEndpointIsBoundAndOneOvsCannotOpenFails() {
        Endpoint c1 = endpoint("c1", "v1", 1);
        Endpoint c2 = endpoint("c2", "v2", 2);
        BridgePort docker = new BridgePort("veth1a2b", Optional.of(12), false, Optional.of("red/c1"),
                Optional.empty(), Optional.empty());
        BridgePort missing = new BridgePort("v2", Optional.empty(), true, Optional.empty(),
                Optional.of("could not open network device v2 (No such device)"), Optional.of(40000));
        BridgePlan p = plan(List.of(c1, c2), List.of(docker, missing), BridgePlan.NONE);
        assertThat(p.ofports()).containsEntry("v1", 12).containsEntry("v2", 40000);
        assertThat(p.bridge().ports()).extracting(DesiredPort::name).doesNotContain("v1", "veth1a2b").contains("v2");
        assertThat(p.failed()).containsOnlyKeys(c2.id());
        assertThat(p.unconfirmed()).isEmpty();
        assertThat(p.failed().get(c2.id())).contains("No such device");
        assertThat(Map.copyOf(p.requested())).doesNotContainKey("v2");
    }

    @Test
    void aPlanSaysWhichOfportsMovedAndReusesThePortsOfUnchangedEndpoints() {
        Endpoint c1 = endpoint("c1", "v1", 1);
        Endpoint c2 = endpoint("c2", "v2", 2);
        BridgePlan first = plan(List.of(c1, c2), List.of(), BridgePlan.NONE);
        assertThat(first.moved()).containsExactlyInAnyOrder("vxlan-h2", "gre-h2", "v1", "v2");
        int v1 = first.ofports().get("v1");

        BridgePlan same = plan(List.of(c1, c2), List.of(), first);
        assertThat(same.moved()).isEmpty();
        assertThat(same.ofports()).isSameAs(first.ofports());
        assertThat(same.bridge().ports()).filteredOn(p -> p.type().isEmpty()).hasSize(2)
                .allSatisfy(p -> assertThat(first.bridge().ports()).anySatisfy(q -> assertThat(q).isSameAs(p)));

        // v1 appears with another number than asked (OVS had it taken): v1 moved; c2 gone: v2 moved.
        BridgePlan next = plan(List.of(c1), List.of(owned("v1", 40000, v1)), same);
        assertThat(next.moved()).containsExactlyInAnyOrder("v1", "v2");
        assertThat(next.ofports()).doesNotContainKey("v2").containsEntry("v1", 40000);
        for (BridgePlan[] pair : new BridgePlan[][] {{BridgePlan.NONE, first}, {first, same}, {same, next}}) {
            assertThat(pair[1].moved()).isEqualTo(io.weft.flows.SnapshotChange.movedPorts(pair[0].ofports(),
                    pair[1].ofports()));
        }
    }

    @Test
    void aTunnelAsksForTheNumberItsPeersIndexGivesOnEveryHostAndEndpointsNumberAboveTheTunnels() {
        Host h1 = H1.withIndex(0);
        Host h2 = H2.withIndex(5);
        Host h3 = Host.of("h3", "172.31.1.13").withIndex(1);
        Endpoint c1 = endpoint("c1", "v1", 1);
        BridgePlan onH1 = BridgePlan.of(h1, List.of(h1, h2, h3), List.of(c1), BridgePorts.NONE, CONTROLLER,
                BridgePlan.NONE);
        BridgePlan onH3 = BridgePlan.of(h3, List.of(h1, h2, h3), List.of(), BridgePorts.NONE, CONTROLLER,
                BridgePlan.NONE);
        assertThat(onH1.ofports()).containsEntry("vxlan-h2", 32768 + 10).containsEntry("gre-h2", 32768 + 11)
                .containsEntry("vxlan-h3", 32768 + 2).containsEntry("gre-h3", 32768 + 3);
        assertThat(onH3.ofports().get("vxlan-h2")).isEqualTo(onH1.ofports().get("vxlan-h2"));
        assertThat(onH1.ofports().get("v1")).isEqualTo(DesiredPort.FIRST_ENDPOINT_OFPORT);

        // A foreign port that holds h2's number already: h1's tunnel takes one from the endpoint range instead.
        BridgePort squatter = new BridgePort("other", Optional.of(32768 + 10), false, Optional.empty(),
                Optional.empty(), Optional.empty());
        BridgePlan crowded = BridgePlan.of(h1, List.of(h1, h2), List.of(), BridgePorts.of(List.of(squatter)),
                CONTROLLER, BridgePlan.NONE);
        assertThat(crowded.ofports().get("vxlan-h2")).isEqualTo(DesiredPort.FIRST_ENDPOINT_OFPORT);
        // A live tunnel made before hosts were numbered keeps its number and is not asked for another.
        BridgePlan old = BridgePlan.of(h1, List.of(h1, h2), List.of(), BridgePorts.of(List.of(owned("vxlan-h2", 3,
                null))), CONTROLLER, BridgePlan.NONE);
        assertThat(old.ofports().get("vxlan-h2")).isEqualTo(3);
        assertThat(requestOf(old, "vxlan-h2")).isEmpty();
    }
}
