package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Instruction.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Match;
import io.weft.testbed.OvsSandbox;
import io.weft.testbed.OvsSandboxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real ovs-vswitchd bridge that offers only OpenFlow 1.0 ({@code protocols=OpenFlow10}, as Mininet's
 * {@code --switch ovs,protocols=OpenFlow10} makes it): the handshake, flows sent and read back equal, changes and
 * deletes, port status, packet-out and packet-in, all in OpenFlow 1.0.
 */
class OpenFlow10IT {

    private static final long DPID = TestBridge.DPID;
    private static final String BRIDGE = "s1";
    /** OFPP_TABLE: a packet-out through the flow table, as if it had arrived on the packet-out's in_port. */
    private static final long PORT_TABLE = 0xffff_fff9L;
    private static final long MAC_A = 0x0200_0000_000aL;
    private static final long MAC_B = 0x0200_0000_000bL;

    @RegisterExtension
    final OvsSandboxExtension sandbox = OvsSandboxExtension.perTest();
    private OvsSandbox ovs;
    private OpenFlowServer server;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void start() throws Exception {
        ovs = sandbox.ovs();
        server = new OpenFlowServer(listener, ChannelConfig.defaults());
        String socket = "unix:" + ovs.dir().resolve("of.sock");
        server.start(List.of(socket));
        TestBridge.create(ovs, BRIDGE, socket, "OpenFlow10");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private SwitchHandle awaitSwitch() {
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.connected.containsKey(DPID));
        return listener.connected.get(DPID);
    }

    /** The flows of a plain switch on OpenFlow 1.0: one table, in_port, eth_src, eth_dst, eth_type, outputs. */
    private static List<FlowRule> plainFlows() {
        return new ArrayList<>(List.of(
                new FlowRule(0, 1000, Match.builder().exact(Field.ETH_TYPE, 0x88cc).build(),
                        List.of(apply(output(Action.PORT_CONTROLLER))), 0x57464e0000000001L),
                new FlowRule(0, 400, Match.builder().exact(Field.IN_PORT, 9).exact(Field.ETH_SRC, MAC_A)
                        .exact(Field.ETH_DST, MAC_B).build(), List.of(apply(output(10))), 0x57464e0000000002L),
                new FlowRule(0, 200, Match.builder().exact(Field.IN_PORT, 9).build(),
                        List.of(apply(output(Action.PORT_CONTROLLER), output(10))), 0x57464e0000000003L),
                new FlowRule(0, 100, Match.builder().exact(Field.ETH_DST, MAC_A).build(),
                        List.of(apply(output(9))), 0x57464e0000000004L),
                new FlowRule(0, 0, Match.ANY, List.of(), 0x57464e0000000005L)));
    }

    @Test
    void flowsAreSentAndReadBackEqualInOpenFlow10AndOnlyTheDifferenceGoesOut() throws Exception {
        SwitchHandle sw = awaitSwitch();
        // Someone else's flows, on fields Weft never matches on 1.0 and on one it does: both removed.
        ovs.ofctl("-O", "OpenFlow10", "add-flow", ovs.mgmt(BRIDGE), "priority=7,ip,nw_src=10.0.0.1,actions=drop");
        ovs.ofctl("-O", "OpenFlow10", "add-flow", ovs.mgmt(BRIDGE), "priority=8,in_port=3,actions=output:4");
        assertThat(sw.version()).isEqualTo(OpenFlowVersion.OF_10);
        assertThat(sw.atomicUpdates()).isFalse();
        TableDriver t = new TableDriver(sw);
        List<FlowRule> flows = plainFlows();
        t.apply(flows);
        assertThat(sw.flows().get(5, TimeUnit.SECONDS).flows()).containsExactlyInAnyOrderElementsOf(flows);
        assertThat(sw.flows().get(5, TimeUnit.SECONDS).foreign()).isEmpty();
        String dump = ovs.ofctl("-O", "OpenFlow10", "--no-names", "dump-flows", ovs.mgmt(BRIDGE));
        assertThat(OfctlText.dumpedFlows(dump)).isEqualTo(OfctlText.desiredFlows(flows));
        assertThat(sw.flowCounts().get(5, TimeUnit.SECONDS)).containsExactly(Map.entry(0, (long) flows.size()));
        assertThat(t.apply(flows).unchanged()).as("the same flows again send nothing").isTrue();

        // One flow's actions change, one goes, one comes: read back equal again.
        flows.set(3, new FlowRule(0, 100, Match.builder().exact(Field.ETH_DST, MAC_A).build(),
                List.of(apply(output(11))), 0x57464e0000000004L));
        flows.remove(1);
        flows.add(new FlowRule(0, 100, Match.builder().exact(Field.ETH_DST, MAC_B).build(),
                List.of(apply(output(10))), 0x57464e0000000006L));
        ApplyResult r = t.apply(flows);
        assertThat(List.of(r.added(), r.modified(), r.deleted())).containsExactly(1, 1, 1);
        assertThat(sw.flows().get(5, TimeUnit.SECONDS).flows()).containsExactlyInAnyOrderElementsOf(flows);
    }

    @Test
    void portStatusPacketOutAndPacketInWorkInOpenFlow10() throws Exception {
        SwitchHandle sw = awaitSwitch();
        ovs.vsctl("add-port", BRIDGE, "wp9", "--", "set", "interface", "wp9", "type=internal", "ofport_request=9");
        await().atMost(Duration.ofSeconds(10)).until(() -> sw.ports().containsKey(9L));
        ovs.inNamespace("ip", "link", "set", "wp9", "up");
        await().atMost(Duration.ofSeconds(10)).until(() -> sw.ports().get(9L).up());
        assertThat(listener.ports).anyMatch(e -> e.port().ofport() == 9 && e.port().name().equals("wp9"));

        byte[] frame = new byte[60];
        java.util.Arrays.fill(frame, 0, 6, (byte) 0xff);
        frame[11] = 0x0a;
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xb5; // local experimental EtherType
        long txBefore = txPackets(9);
        sw.packetOut(Action.PORT_CONTROLLER, List.of(output(9)), frame).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> txPackets(9) > txBefore);

        // Through the table as if it came in on port 9, where a flow sends it to the controller.
        // (The kernel's own IPv6 packets from wp9 come too: on OpenFlow 1.0 a table miss goes to the controller.)
        new TableDriver(sw).apply(List.of(new FlowRule(0, 5, Match.builder().exact(Field.IN_PORT, 9)
                .exact(Field.ETH_TYPE, 0x88b5).build(), List.of(apply(output(Action.PORT_CONTROLLER))), 7)));
        sw.packetOut(9, List.of(output(PORT_TABLE)), frame).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.packetIns.stream()
                .anyMatch(p -> java.util.Arrays.equals(p.data(), frame)));
        assertThat(listener.packetIns).filteredOn(p -> java.util.Arrays.equals(p.data(), frame))
                .singleElement().extracting(PacketIn::inPort).isEqualTo(9L);

        ovs.inNamespace("ip", "link", "set", "wp9", "down");
        await().atMost(Duration.ofSeconds(10)).until(() -> !sw.ports().get(9L).up());
    }

    private long txPackets(int port) throws Exception {
        return TestBridge.txPackets(ovs, BRIDGE, "OpenFlow10", port);
    }
}
