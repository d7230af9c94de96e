package io.weft.controller.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.controller.trace.PacketTrace.Delivered;
import io.weft.controller.trace.PacketTrace.Step;
import io.weft.controller.trace.PacketTrace.Verdict;
import io.weft.controller.trace.TraceExplainer.Explained;
import io.weft.flows.FabricWalker;
import io.weft.flows.FlowCompiler;
import io.weft.flows.Pipeline;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import io.weft.model.flow.Action;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What a trace says, on the walker's output over compiled flows: red and green share 10.65.10.0/24 (red/c1 on h1,
 * red/c2 on h2; green/c3 on h1 shares c1's IP, green/c4 on h2 holds an IP red has not), routed has two subnets.
 */
class TraceExplainerTest {

    static final Network RED = network("red", 101, "10.65.10.0/24", "10.65.10.254");
    static final Network GREEN = network("green", 102, "10.65.10.0/24", "10.65.10.254");
    static final Network ROUTED = new Network("routed", 103, Encapsulation.GRE, 1400,
            List.of(Subnet.of("10.1.1.0/24", "10.1.1.254"), Subnet.of("11.1.1.0/24", "11.1.1.254")));
    static final Endpoint C1 = endpoint("red", "c1", "h1", "10.65.10.1");
    static final Endpoint C2 = endpoint("red", "c2", "h2", "10.65.10.2");
    static final Endpoint C3 = endpoint("green", "c3", "h1", "10.65.10.1");
    static final Endpoint C4 = endpoint("green", "c4", "h2", "10.65.10.3");
    static final Endpoint R1 = endpoint("routed", "r1", "h1", "10.1.1.2");
    static final Endpoint R2 = endpoint("routed", "r2", "h2", "11.1.1.2");
    static final Endpoint UNBOUND = endpoint("red", "c5", "h2", "10.65.10.5");

    static final NetworkSnapshot SNAPSHOT = NetworkSnapshot.of(1,
            List.of(Host.of("h1", "172.31.1.1"), Host.of("h2", "172.31.1.2")), List.of(RED, GREEN, ROUTED),
            List.of(C1, C2, C3, C4, R1, R2, UNBOUND), Map.of(
                    "h1", Map.of("vxlan-h2", 1, "gre-h2", 2, "ve-c1", 10, "ve-c3", 11, "ve-r1", 12),
                    "h2", Map.of("vxlan-h1", 1, "gre-h1", 2, "ve-c2", 10, "ve-c4", 11, "ve-r2", 12)));

    private static Explained trace(TraceQuery q) {
        return trace(q, FabricWalker.compiled(SNAPSHOT));
    }

    private static Explained trace(TraceQuery q, FabricWalker walker) {
        Probe probe = Probe.of(SNAPSHOT, q);
        if (probe.inPort().isEmpty()) {
            return TraceExplainer.notOnBridge(probe);
        }
        return TraceExplainer.explain(SNAPSHOT, probe,
                walker.walk(probe.from().host(), probe.packet(), probe.inPort().getAsInt()));
    }

    @Test
    void anEchoAcrossHostsIsDeliveredAndEveryStepIsNamed() {
        Explained t = trace(TraceQuery.of("red", "c1", "c2", null));

        assertThat(t.verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(t.deliveredTo()).contains(new Delivered("h2", "c2", "ve-c2"));
        assertThat(t.reason()).isEqualTo("delivered on h2 to c2 (port ve-c2), through the tunnel from h1 with VNI 101");
        assertThat(t.steps()).extracting(Step::host, Step::tableName).containsExactly(
                org.assertj.core.groups.Tuple.tuple("h1", "classifier"),
                org.assertj.core.groups.Tuple.tuple("h1", "l3_gateway"),
                org.assertj.core.groups.Tuple.tuple("h1", "l2_forward"),
                org.assertj.core.groups.Tuple.tuple("h2", "classifier"),
                org.assertj.core.groups.Tuple.tuple("h2", "tunnel_ingress"),
                org.assertj.core.groups.Tuple.tuple("h2", "l2_forward"));
        Step security = t.steps().get(0);
        assertThat(security.endpoint()).contains("c1");
        assertThat(security.network()).contains("red");
        assertThat(security.explanation()).isEqualTo("port security passed: the source addresses are those of "
                + "the endpoint on port ve-c1, by a flow of c1 (on h1); the packet is in network red (VNI 101)");
        Step tunnelled = t.steps().get(2);
        assertThat(tunnelled.vni()).isEqualTo(OptionalInt.of(101));
        assertThat(tunnelled.endpoint()).contains("c2");
        assertThat(tunnelled.explanation()).contains("into tunnel vxlan-h2 toward h2 with VNI 101");
        assertThat(t.steps().get(3).explanation()).startsWith("arrived from h1 through tunnel vxlan-h1 (vxlan)");
        assertThat(t.steps().get(4).explanation()).isEqualTo("VNI 101 on the wire is network red (VNI 101), which "
                + "has endpoints on h2: accepted by a flow of network red");
        assertThat(t.steps().get(5).explanation()).isEqualTo("to MAC " + C2.mac() + ", by a flow of c2 (on h2): "
                + "out of port ve-c2 (c2)");
        assertThat(t.steps()).allSatisfy(s -> assertThat(s.cookie()).isPresent());
    }

    @Test
    void anAddressOnlyAnotherNetworkHoldsIsDroppedForIsolation() {
        Explained t = trace(TraceQuery.of("red", "c1", "10.65.10.3", "icmp"));

        assertThat(t.verdict()).isEqualTo(Verdict.DROPPED);
        assertThat(t.reason()).isEqualTo("dropped on h1: network red (VNI 101) has no endpoint 10.65.10.3, so c1's "
                + "ARP request for it goes unanswered; 10.65.10.3 is c4 in network green (VNI 102): red and green "
                + "are isolated");
        Step last = t.steps().get(t.steps().size() - 1);
        assertThat(last.tableName()).isEqualTo(Pipeline.ARP_RESPONDER.name());
        assertThat(last.explanation()).contains("no endpoint or gateway of network red (VNI 101) has IP 10.65.10.3");
    }

    @Test
    void aSpoofedSourceIsDroppedByPortSecurity() {
        Explained t = trace(new TraceQuery("red", "c1", "c2", "icmp", OptionalInt.empty(),
                Optional.of("10.65.10.99"), Optional.empty()));

        assertThat(t.verdict()).isEqualTo(Verdict.DROPPED);
        assertThat(t.reason()).isEqualTo("dropped on h1 by port security: c1 may send only as MAC " + C1.mac()
                + " and IP 10.65.10.1, this packet's source is MAC " + C1.mac() + ", IP 10.65.10.99");
        assertThat(t.steps()).singleElement().satisfies(s -> {
            assertThat(s.tableName()).isEqualTo("classifier");
            assertThat(s.priority()).isEqualTo(OptionalInt.of(0));
            assertThat(s.endpoint()).isEmpty();
            assertThat(s.explanation()).doesNotContain("passed")
                    .contains("no flow accepts this packet on port ve-c1 (c1)");
        });
    }

    @Test
    void anArpRequestIsAnsweredOnTheSendersHost() {
        Explained t = trace(TraceQuery.of("red", "c1", "c2", "arp"));

        assertThat(t.verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(t.deliveredTo()).contains(new Delivered("h1", "c1", "ve-c1"));
        assertThat(t.reason()).isEqualTo("c1's ARP request for 10.65.10.2 is answered on h1 with MAC " + C2.mac());
        assertThat(t.steps().get(1).explanation()).startsWith("ARP request for 10.65.10.2 answered in the datapath "
                + "with its MAC " + C2.mac() + ", by a flow of c2 (on h2)");
    }

    @Test
    void anotherSubnetIsReachedThroughTheGatewayAndAnAddressNoSubnetHoldsHasNoRoute() {
        Explained routed = trace(TraceQuery.of("routed", "r1", "r2", "udp"));
        assertThat(routed.verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(routed.deliveredTo()).contains(new Delivered("h2", "r2", "ve-r2"));
        assertThat(routed.steps().get(1).explanation()).startsWith("routed by the distributed gateway of network "
                + "routed (VNI 103), by a flow of r2 (on h2): MACs rewritten");

        Explained nowhere = trace(TraceQuery.of("routed", "r1", "12.0.0.1", "tcp"));
        assertThat(nowhere.verdict()).isEqualTo(Verdict.DROPPED);
        assertThat(nowhere.reason()).isEqualTo("dropped on h1: network routed (VNI 103) has no endpoint 12.0.0.1 and "
                + "no subnet that holds it: no route");
    }

    @Test
    void anEchoToTheGatewayIsAnsweredByIt() {
        Explained t = trace(TraceQuery.of("red", "c1", "10.65.10.254", "arp"));
        assertThat(t.reason()).isEqualTo("c1's ARP request for 10.65.10.254 is answered on h1 with MAC "
                + RED.gatewayMac(RED.subnets().get(0)));
        assertThat(trace(TraceQuery.of("red", "c1", "10.65.10.254", "icmp")).reason())
                .isEqualTo("the gateway 10.65.10.254 of network red (VNI 101) answers c1's echo request on h1");

        Explained echo = trace(TraceQuery.of("routed", "r1", "11.1.1.254", "icmp"));
        assertThat(echo.verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(echo.reason()).isEqualTo("the gateway 11.1.1.254 of network routed (VNI 103) answers r1's echo "
                + "request on h1");
    }

    @Test
    void aDnsQueryToAnyAddressIsSentToTheControllerThroughTheMeter() {
        for (String to : List.of("10.65.10.254", "192.0.2.53")) {
            Explained t = trace(new TraceQuery("red", "c1", to, "udp", OptionalInt.of(53), Optional.empty(),
                    Optional.empty()));
            assertThat(t.verdict()).as("to %s", to).isEqualTo(Verdict.DELIVERED);
            assertThat(t.deliveredTo()).contains(new Delivered("h1", null, "controller"));
            assertThat(t.reason()).startsWith("sent to the controller by h1's switch: a DNS query");
            assertThat(t.steps()).extracting(Step::tableName).containsExactly("classifier", "l3_gateway");
            assertThat(t.steps().get(1).explanation()).startsWith("a DNS query (UDP to port 53, to any address): "
                    + "to the controller through meter 1 (1000 queries/s per host");
        }
        Explained other = trace(new TraceQuery("red", "c1", "10.65.10.254", "udp", OptionalInt.of(54),
                Optional.empty(), Optional.empty()));
        assertThat(other.deliveredTo()).as("another port is no DNS query").isEmpty();
        Explained tcp = trace(new TraceQuery("red", "c1", "10.65.10.254", "tcp", OptionalInt.of(53),
                Optional.empty(), Optional.empty()));
        assertThat(tcp.deliveredTo()).as("DNS over TCP is punted too").contains(new Delivered("h1", null,
                "controller"));
        assertThat(tcp.steps().get(1).explanation()).startsWith("a DNS query (TCP to port 53, to any address; the "
                + "controller terminates the connection): to the controller through meter 1");
    }

    @Test
    void anEndpointWhosePortIsNotOnTheBridgeSendsNothing() {
        Explained t = trace(TraceQuery.of("red", "c5", "c1", "icmp"));
        assertThat(t.verdict()).isEqualTo(Verdict.DROPPED);
        assertThat(t.reason()).isEqualTo("c5's port ve-c5 is not on br-int of h2 yet: nothing it sends reaches "
                + "Weft's flows");
        assertThat(t.steps()).isEmpty();
    }

    @Test
    void theTraceFollowsTheFlowsItIsGivenNotTheDesiredOnes() {
        Map<String, List<FlowRule>> held = new HashMap<>();
        held.put("h1", FlowCompiler.compile(SNAPSHOT, "h1").flows());
        List<FlowRule> h2 = FlowCompiler.compile(SNAPSHOT, "h2").flows().stream()
                .filter(f -> !(f.tableId() == Pipeline.L2_FORWARD.number() && outputsTo(f, 10))).toList();
        held.put("h2", h2);

        Explained t = trace(TraceQuery.of("red", "c1", "c2", "icmp"), new FabricWalker(SNAPSHOT, held));

        assertThat(t.verdict()).isEqualTo(Verdict.DROPPED);
        assertThat(t.reason()).isEqualTo("dropped on h2 in l2_forward: no flow there sends it on toward c2 "
                + "(10.65.10.2 on h2)");
        assertThat(t.steps().get(t.steps().size() - 1).explanation())
                .startsWith("no endpoint of network red (VNI 101) reachable from here has MAC " + C2.mac());
    }

    @Test
    void unknownNamesAndProtocolsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> trace(TraceQuery.of("blue", "c1", "c2", null)))
                .isInstanceOf(TraceQueryException.class).hasMessage("network blue does not exist");
        assertThatThrownBy(() -> trace(TraceQuery.of("red", "c3", "c2", null)))
                .isInstanceOf(TraceQueryException.class).hasMessage("endpoint c3 does not exist in network red");
        assertThatThrownBy(() -> trace(TraceQuery.of("red", "c1", "c9", null)))
                .isInstanceOf(TraceQueryException.class)
                .hasMessage("to 'c9' is neither an endpoint of network red nor an IPv4 address");
        assertThatThrownBy(() -> trace(TraceQuery.of("red", "c1", "c2", "sctp")))
                .isInstanceOf(TraceQueryException.class).hasMessage("proto 'sctp' is not one of icmp, tcp, udp, arp");
        assertThatThrownBy(() -> trace(new TraceQuery("red", "c1", "c2", "icmp", OptionalInt.of(80),
                Optional.empty(), Optional.empty()))).isInstanceOf(TraceQueryException.class)
                .hasMessage("dstPort is for proto tcp or udp, not icmp");
        assertThatThrownBy(() -> trace(new TraceQuery("red", "c1", "c2", "icmp", OptionalInt.empty(),
                Optional.empty(), Optional.of("nope")))).isInstanceOf(TraceQueryException.class)
                .hasMessage("srcMac 'nope' is not a MAC address");
    }

    @Test
    void differencesListWhatIsMissingAndWhatIsUnexpected() {
        List<FlowRule> desired = FlowCompiler.compile(SNAPSHOT, "h2").flows();
        FlowRule gone = desired.get(3);
        FlowRule extra = new FlowRule(Pipeline.L2_FORWARD.number(), 5, io.weft.model.flow.Match.ANY, List.of(), 7);
        List<FlowRule> installed = new java.util.ArrayList<>(desired);
        installed.remove(gone);
        installed.add(extra);

        assertThat(FlowDifferences.of("h2", desired, desired)).isEmpty();
        assertThat(FlowDifferences.of("h2", desired, installed)).contains(new PacketTrace.Difference("h2",
                List.of(io.weft.model.flow.OfctlFormat.flow(gone)),
                List.of("cookie=0x7, table=30, priority=5 actions=drop")));
    }

    private static boolean outputsTo(FlowRule f, long port) {
        return f.instructions().stream().anyMatch(i -> i instanceof Instruction.ApplyActions a
                && a.actions().stream().anyMatch(x -> x instanceof Action.Output o && o.port() == port));
    }

    static Network network(String name, int vni, String cidr, String gateway) {
        return new Network(name, vni, Encapsulation.VXLAN, 1450, List.of(Subnet.of(cidr, gateway)));
    }

    static Endpoint endpoint(String network, String name, String host, String ip) {
        Ipv4Address a = Ipv4Address.parse(ip);
        return new Endpoint(new EndpointId(network, name), host, "ve-" + name,
                MacAddress.parse(String.format("02:42:%02x:%02x:00:%02x", network.length(), (int) name.charAt(1),
                        a.bits() & 0xff)), a);
    }
}
