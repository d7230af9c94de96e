package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Instruction.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.model.ConnectionTarget;
import io.weft.model.flow.Action;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.EthType;
import io.weft.model.flow.FailoverGroup;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Meter;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Match;
import io.weft.testbed.OvsSandbox;
import io.weft.testbed.OvsSandboxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Sending flow changes and reading flow tables against a real ovs-vswitchd (userspace datapath) in its own namespace
 * and run dir, driven through {@link SwitchFlows} as the reconciler drives it.
 */
class FlowProgrammerIT {

    private static final long DPID = TestBridge.DPID;

    @RegisterExtension
    final OvsSandboxExtension sandbox = OvsSandboxExtension.perTest();
    private OvsSandbox ovs;
    private OpenFlowServer server;
    private OpenFlowConnector connector;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void start() throws Exception {
        ovs = sandbox.ovs();
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private String socket() {
        return "unix:" + ovs.dir().resolve("of.sock");
    }

    private void listen(ChannelConfig config) {
        server = new OpenFlowServer(listener, config);
        server.start(List.of(socket()));
    }

    private SwitchHandle awaitSwitch() {
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.connected.containsKey(DPID));
        return listener.connected.get(DPID);
    }

    private String dumpFlows() throws Exception {
        return ovs.ofctl("-O", "OpenFlow13", "--no-names", "dump-flows", ovs.mgmt("br-int"));
    }

    private void assertSwitchHolds(List<FlowRule> flows) throws Exception {
        String dump = dumpFlows();
        assertThat(dump.lines().filter(l -> l.contains("cookie=")).count()).as("no duplicates")
                .isEqualTo(flows.size());
        assertThat(OfctlText.dumpedFlows(dump)).isEqualTo(OfctlText.desiredFlows(flows));
    }

    @Test
    void sentFlowsShowUpOnTheSwitchAndTheSameStateAgainSendsNothing() throws Exception {
        listen(ChannelConfig.defaults());
        TestBridge.create(ovs, socket(), "OpenFlow13,OpenFlow14");
        SwitchHandle sw = awaitSwitch();
        assertThat(sw.atomicUpdates()).as("OpenFlow 1.4 bundles").isTrue();
        TableDriver t = new TableDriver(sw);
        List<FlowRule> flows = SampleFlows.flows(40);
        ApplyResult first = t.apply(flows);
        assertThat(first.added()).isEqualTo(flows.size());
        assertThat(sw.flowModsSent()).isEqualTo(flows.size());
        assertSwitchHolds(flows);
        assertThat(sw.flowCounts().get(5, TimeUnit.SECONDS)).isEqualTo(t.flows.expectedCounts());

        ovs.vsctl("add-port", "br-int", "wp1", "--", "set", "interface", "wp1", "type=internal", "ofport_request=5");
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.ports.stream().anyMatch(e ->
                e.type() == PortEvent.Type.ADDED && e.port().ofport() == 5 && e.port().name().equals("wp1")));
        assertThat(sw.ports()).containsKey(5L);
        ovs.vsctl("del-port", "br-int", "wp1");
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.ports.stream().anyMatch(e ->
                e.type() == PortEvent.Type.REMOVED && e.port().ofport() == 5));
        assertThat(sw.ports()).doesNotContainKey(5L);

        long before = sw.flowModsSent();
        assertThat(t.apply(flows).unchanged()).isTrue();
        // A fresh read of the switch agrees with what it acknowledged: still nothing to send.
        t.reread();
        assertThat(t.apply(flows).unchanged()).isTrue();
        assertThat(sw.flowModsSent()).isEqualTo(before);
    }

    @Test
    void changingOneFlowTouchesOnlyThatFlow() throws Exception {
        listen(ChannelConfig.defaults());
        TestBridge.create(ovs, socket(), "OpenFlow13,OpenFlow14");
        SwitchHandle sw = awaitSwitch();
        TableDriver t = new TableDriver(sw);
        List<FlowRule> flows = new ArrayList<>(SampleFlows.flows(30));
        t.apply(flows);

        FlowRule old = flows.get(10);
        FlowRule changed = new FlowRule(old.tableId(), old.priority(), old.match(), List.of(apply(output(4242))),
                old.cookie());
        flows.set(10, changed);
        long before = sw.flowModsSent();
        ApplyResult r = t.change(List.of(old), List.of(changed));
        assertThat(r).extracting(ApplyResult::added, ApplyResult::modified, ApplyResult::deleted)
                .containsExactly(0, 1, 0);
        assertThat(sw.flowModsSent() - before).isEqualTo(1);
        assertSwitchHolds(flows);

        // A new cookie on the same key replaces the flow (one ADD), and one removal is one delete.
        FlowRule recookied = new FlowRule(changed.tableId(), changed.priority(), changed.match(),
                changed.instructions(), Cookies.of(Cookies.Kind.HOST, "h9"));
        flows.set(10, recookied);
        FlowRule removed = flows.remove(20);
        r = t.change(List.of(changed, removed), List.of(recookied));
        assertThat(r).extracting(ApplyResult::added, ApplyResult::modified, ApplyResult::deleted)
                .containsExactly(0, 1, 1);
        assertThat(t.installed()).doesNotContain(removed).contains(recookied);
        assertSwitchHolds(flows);
    }

    @Test
    void flowsOnTheSwitchBeforeConnectAreReadAndUnwantedOrForeignOnesRemoved() throws Exception {
        // The controller is configured before the flows are added: OVS flushes a bridge's tables when it gains its
        // first controller. Nothing listens yet, so the bridge keeps retrying until listen() below.
        TestBridge.create(ovs, socket(), "OpenFlow13,OpenFlow14");
        List<FlowRule> flows = SampleFlows.flows(5);
        FlowRule kept = flows.get(6);
        // One desired flow already there, one Weft-expressible stranger, one foreign (udp source port: not in the model).
        ovs.ofctl("-O", "OpenFlow13", "add-flow", ovs.mgmt("br-int"), ofctlLine(kept));
        ovs.ofctl("-O", "OpenFlow13", "add-flow", ovs.mgmt("br-int"), "table=3,priority=9,in_port=7,actions=output:8");
        ovs.ofctl("-O", "OpenFlow13", "add-flow", ovs.mgmt("br-int"), "table=4,priority=9,udp,tp_src=53,actions=drop");
        listen(ChannelConfig.defaults());
        SwitchHandle sw = awaitSwitch();
        FlowTable table = sw.flows().get(10, TimeUnit.SECONDS);
        assertThat(table.flows()).hasSize(2).contains(kept);
        assertThat(table.foreign()).singleElement().satisfies(f -> {
            assertThat(f.tableId()).isEqualTo(4);
            assertThat(f.priority()).isEqualTo(9);
        });

        ApplyResult r = new TableDriver(sw).apply(flows);
        assertThat(r.added()).isEqualTo(flows.size() - 1);
        assertThat(r.deleted()).isEqualTo(2);
        assertThat(sw.flows().get(10, TimeUnit.SECONDS).foreign()).isEmpty();
        assertSwitchHolds(flows);
    }

    private static String ofctlLine(FlowRule r) {
        // ovs-ofctl add-flow takes the dump syntax without spaces after commas.
        return io.weft.model.flow.OfctlFormat.flow(r).replace(", ", ",").replace(" actions=", ",actions=");
    }

    @Test
    void afterControllerAndSwitchRestartsAReadShowsWhatToSendWithoutDuplicatesOrGaps() throws Exception {
        ChannelConfig config = ChannelConfig.defaults().withEchoInterval(Duration.ofSeconds(1));
        listen(config);
        TestBridge.create(ovs, socket(), "OpenFlow13,OpenFlow14");
        List<FlowRule> flows = SampleFlows.flows(30);
        new TableDriver(awaitSwitch()).apply(flows);

        // Controller restart: the switch keeps its flows; a new owner reads them and sends nothing.
        server.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.disconnects.contains(DPID));
        listen(config);
        SwitchHandle fresh = awaitSwitch();
        TableDriver again = new TableDriver(fresh);
        assertThat(again.apply(flows).unchanged()).isTrue();
        assertThat(again.installed()).hasSameSizeAs(flows);
        assertThat(fresh.flowModsSent()).isZero();

        // Switch restart: ovs-vswitchd loses its tables; the read after reconnecting shows it, and all are re-added.
        listener.disconnects.clear();
        ovs.stopVswitchd();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.disconnects.contains(DPID));
        ovs.startVswitchd();
        SwitchHandle afterRestart = awaitSwitch();
        assertThat(afterRestart).isNotSameAs(fresh);
        ApplyResult r = new TableDriver(afterRestart).apply(flows);
        assertThat(r.added()).isEqualTo(flows.size());
        assertSwitchHolds(flows);
    }

    /**
     * A flow changed in place while the controller was away leaves the table's counts as they were: only the read of
     * the whole table, whose reply comes in several parts, finds it; the new owner's read shows it, one modify repairs
     * it, and nothing else is sent.
     */
    @Test
    void aFlowChangedInPlaceWhileTheControllerIsAwayIsFoundByTheReadAndRepaired() throws Exception {
        ChannelConfig config = ChannelConfig.defaults().withEchoInterval(Duration.ofSeconds(1));
        listen(config);
        TestBridge.create(ovs, socket(), "OpenFlow13,OpenFlow14");
        List<FlowRule> flows = SampleFlows.flows(300); // over 2,000 flows: more than one part of a flow-stats reply
        new TableDriver(awaitSwitch()).apply(flows);
        server.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.disconnects.contains(DPID));

        FlowRule changed = flows.stream().filter(f -> !f.instructions().isEmpty()).reduce((a, b) -> b).orElseThrow();
        String line = ofctlLine(changed);
        ovs.ofctl("-O", "OpenFlow13", "--strict", "mod-flows", ovs.mgmt("br-int"),
                line.substring(0, line.indexOf(",actions=")) + ",actions=drop");
        listen(config);
        ApplyResult r = new TableDriver(awaitSwitch()).apply(flows);
        assertThat(List.of(r.added(), r.modified(), r.deleted())).isEqualTo(List.of(0, 1, 0));
        assertSwitchHolds(flows);
    }

    /**
     * Every kind of flow Weft installs (each field, action and instruction kind, a group and a meter named) reads
     * back from ovs-vswitchd as it was sent, through {@link FlowStatsDecoder}, in both versions that have it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow13", "OpenFlow13,OpenFlow14"})
    void everyKindOfFlowWeftInstallsReadsBackAsSent(String protocols) throws Exception {
        listen(ChannelConfig.defaults());
        TestBridge.create(ovs, socket(), protocols);
        SwitchHandle sw = awaitSwitch();
        sw.ensureMeter(new Meter(1, 1000, 200)).get(5, TimeUnit.SECONDS);
        sw.sendGroups(GroupDiff.between(GroupTable.EMPTY, List.of(new FailoverGroup(7,
                List.of(FailoverGroup.Bucket.outOf(1), FailoverGroup.Bucket.outOf(2))))).beforeFlows())
                .get(5, TimeUnit.SECONDS);
        long cookie = Cookies.of(Cookies.Kind.PIPELINE, "kinds");
        List<FlowRule> flows = new ArrayList<>(SampleFlows.flows(20));
        flows.add(new FlowRule(50, 10, Match.builder().exact(Field.ETH_TYPE, EthType.IPV4)
                .exact(Field.IP_PROTO, EthType.IP_PROTO_UDP).exact(Field.UDP_DST, 53).build(),
                List.of(Instruction.meter(1), apply(output(Action.PORT_CONTROLLER))), cookie));
        flows.add(new FlowRule(50, 11, Match.builder().exact(Field.ETH_TYPE, EthType.IPV4)
                .exact(Field.IP_PROTO, EthType.IP_PROTO_TCP).exact(Field.TCP_DST, 80).build(),
                List.of(apply(Action.set(Field.TCP_DST, 8080), output(3))), cookie));
        flows.add(new FlowRule(50, 12, Match.builder().exact(Field.ETH_DST, 0x0200_0000_0007L).build(),
                List.of(apply(Action.group(7))), cookie));
        sw.send(flows.stream().<FlowMod>map(FlowMod.AddFlow::new).toList()).get(30, TimeUnit.SECONDS);

        FlowTable table = sw.flows().get(10, TimeUnit.SECONDS);
        assertThat(table.foreign()).isEmpty();
        assertThat(table.flows()).containsExactlyInAnyOrderElementsOf(flows);
    }

    /** Valid in the model, refused by OVS: goto_table may only go forward. */
    private static FlowRule gotoBackwards() {
        return new FlowRule(50, 7, Match.builder().exact(Field.IN_PORT, 3).build(),
                List.of(io.weft.model.flow.Instruction.gotoTable(3)), 1);
    }

    @Test
    void aFlowTheSwitchRejectsFailsTheWholeBundleAndChangesNothing() throws Exception {
        listen(ChannelConfig.defaults());
        TestBridge.create(ovs, socket(), "OpenFlow13,OpenFlow14");
        TableDriver t = new TableDriver(awaitSwitch());
        List<FlowRule> flows = new ArrayList<>(SampleFlows.flows(10));
        t.apply(flows);
        String before = dumpFlows();

        List<FlowRule> next = new ArrayList<>(SampleFlows.flows(12));
        FlowRule bad = gotoBackwards();
        next.add(bad);
        assertThatThrownBy(() -> t.apply(next))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ApplyException.class)
                .hasMessageContaining("nothing applied")
                .hasMessageContaining("BAD_TABLE_ID")
                .hasMessageContaining("table=50, priority=7,in_port=3 actions=goto_table:3")
                .satisfies(e -> assertThat(((ApplyException) e).notApplied()).hasSize(next.size() - flows.size()));
        assertThat(OfctlText.dumpedFlows(dumpFlows())).isEqualTo(OfctlText.dumpedFlows(before));
        assertThat(t.flows.needsRead()).as("after a failure the table is read again").isTrue();

        // Without the bad flow the same change goes through, and only the difference is sent.
        next.remove(bad);
        ApplyResult r = t.apply(next);
        assertThat(r.added()).isEqualTo(next.size() - flows.size());
        assertThat(r.deleted()).isZero();
        assertSwitchHolds(next);
    }

    @Test
    void withOpenFlow13TheRestIsAppliedAndTheRejectedFlowReported() throws Exception {
        listen(ChannelConfig.defaults().withMaxVersion(OFVersion.OF_13));
        TestBridge.create(ovs, socket(), "OpenFlow13,OpenFlow14");
        SwitchHandle sw = awaitSwitch();
        assertThat(sw.atomicUpdates()).isFalse();
        TableDriver t = new TableDriver(sw);
        List<FlowRule> flows = new ArrayList<>(SampleFlows.flows(10));
        FlowRule bad = gotoBackwards();
        flows.add(bad);
        assertThatThrownBy(() -> t.apply(flows))
                .cause().isInstanceOf(ApplyException.class).hasMessageContaining("BAD_TABLE_ID")
                .satisfies(e -> assertThat(((ApplyException) e).notApplied())
                        .containsExactly(new FlowMod.AddFlow(bad)));
        flows.remove(bad);
        assertSwitchHolds(flows);
        // The table is read again after the failure: only the bad flow was missing, and it is not desired now.
        assertThat(t.apply(flows).unchanged()).isTrue();
    }

    @Test
    void rolesCountsAndPacketOutWorkAgainstOvs() throws Exception {
        listen(ChannelConfig.defaults());
        TestBridge.create(ovs, socket(), "OpenFlow13,OpenFlow14");
        ovs.vsctl("add-port", "br-int", "wp2", "--", "set", "interface", "wp2", "type=internal", "ofport_request=9");
        SwitchHandle sw = awaitSwitch();
        assertThat(sw.setRole(Role.MASTER, 5).get(5, TimeUnit.SECONDS)).isEqualTo(Role.MASTER);
        assertThatThrownBy(() -> sw.setRole(Role.SLAVE, 4).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(StaleRoleException.class).hasMessageContaining("STALE");
        assertThat(sw.setRole(Role.EQUAL, 0).get(5, TimeUnit.SECONDS)).isEqualTo(Role.EQUAL);

        await().atMost(Duration.ofSeconds(10)).until(() -> sw.ports().containsKey(9L));
        ovs.inNamespace("ip", "link", "set", "wp2", "up");
        long txBefore = txPackets(9);
        byte[] frame = new byte[60];
        java.util.Arrays.fill(frame, 0, 6, (byte) 0xff); // broadcast
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xb5; // local experimental EtherType
        sw.packetOut(Action.PORT_CONTROLLER, List.of(output(9)), frame).get(5, TimeUnit.SECONDS);
        sw.barrier().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> txPackets(9) > txBefore);
        assertThat(sw.flows().get(5, TimeUnit.SECONDS).flows()).isEmpty();
        assertThat(sw.flowCounts().get(5, TimeUnit.SECONDS)).isEmpty();
        ovs.ofctl("-O", "OpenFlow13", "add-flow", ovs.mgmt("br-int"), "table=7,priority=1,actions=drop");
        assertThat(sw.flowCounts().get(5, TimeUnit.SECONDS)).containsExactly(java.util.Map.entry(7, 1L));
    }

    private long txPackets(int port) throws Exception {
        return TestBridge.txPackets(ovs, "br-int", "OpenFlow13", port);
    }

    @Test
    void theConnectorReachesABridgesPassiveTarget() throws Exception {
        String passive = "punix:" + ovs.dir().resolve("br-int.of");
        TestBridge.create(ovs, passive, "OpenFlow13,OpenFlow14");
        connector = new OpenFlowConnector(listener, ChannelConfig.defaults(), Duration.ofMillis(200));
        // The connector dials the active form of the bridge's listener (Host.openflowDialed in the controller).
        connector.connect(ConnectionTarget.parse(passive).dialedAt(null).toString());
        List<FlowRule> flows = SampleFlows.flows(10);
        new TableDriver(awaitSwitch()).apply(flows);
        assertSwitchHolds(flows);
    }
}
