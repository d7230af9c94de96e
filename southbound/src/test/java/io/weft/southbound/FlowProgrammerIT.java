package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static io.weft.model.flow.Instruction.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.model.ConnectionTarget;
import io.weft.model.flow.Action;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import io.weft.model.flow.Match;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFVersion;

/** The flow programmer against a real ovs-vswitchd (userspace datapath) in its own namespace and run dir. */
class FlowProgrammerIT {

    private static final long DPID = 0xa1L;

    private OvsFixture ovs;
    private OpenFlowServer server;
    private OpenFlowConnector connector;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void start() throws Exception {
        ovs = new OvsFixture();
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        if (server != null) {
            server.stop();
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    private String socket() {
        return "unix:" + ovs.dir.resolve("of.sock");
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
        return ovs.ofctl("-O", "OpenFlow13", "--no-names", "dump-flows", ovs.mgmt());
    }

    private String dumpGroups() throws Exception {
        return ovs.ofctl("-O", "OpenFlow13", "dump-groups", ovs.mgmt());
    }

    private void assertSwitchHolds(List<FlowRule> flows, List<GroupRule> groups) throws Exception {
        String dump = dumpFlows();
        assertThat(dump.lines().filter(l -> l.contains("cookie=")).count()).as("no duplicates")
                .isEqualTo(flows.size());
        assertThat(OfctlText.dumpedFlows(dump)).isEqualTo(OfctlText.desiredFlows(flows));
        assertThat(OfctlText.dumpedGroups(dumpGroups())).isEqualTo(OfctlText.desiredGroups(groups));
    }

    @Test
    void appliedFlowsAndGroupsShowUpOnTheSwitchAndASecondApplySendsNothing() throws Exception {
        listen(ChannelConfig.defaults());
        ovs.createBridge(socket(), "OpenFlow13,OpenFlow14");
        SwitchHandle sw = awaitSwitch();
        assertThat(sw.version()).isEqualTo(OFVersion.OF_14);
        List<FlowRule> flows = SampleFlows.flows(40);
        ApplyResult first = sw.programmer().apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);
        assertThat(first.added()).isEqualTo(flows.size());
        assertThat(first.flowModsSent()).isEqualTo(flows.size());
        assertThat(first.groupChanges()).isEqualTo(1);
        assertSwitchHolds(flows, SampleFlows.groups());

        ovs.vsctl("add-port", "br-int", "wp1", "--", "set", "interface", "wp1", "type=internal", "ofport_request=5");
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.ports.stream().anyMatch(e ->
                e.type() == PortEvent.Type.ADDED && e.port().ofport() == 5 && e.port().name().equals("wp1")));
        assertThat(sw.ports()).containsKey(5L);
        ovs.vsctl("del-port", "br-int", "wp1");
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.ports.stream().anyMatch(e ->
                e.type() == PortEvent.Type.REMOVED && e.port().ofport() == 5));
        assertThat(sw.ports()).doesNotContainKey(5L);

        long before = sw.programmer().flowModsSent();
        ApplyResult second = sw.programmer().apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);
        assertThat(second.unchanged()).isTrue();
        assertThat(sw.programmer().flowModsSent()).isEqualTo(before);
        // The view agrees with a fresh read of the switch.
        sw.programmer().resync().get(10, TimeUnit.SECONDS);
        assertThat(sw.programmer().apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS).unchanged()).isTrue();
        assertThat(sw.programmer().flowModsSent()).isEqualTo(before);
    }

    @Test
    void changingOneFlowTouchesOnlyThatFlow() throws Exception {
        listen(ChannelConfig.defaults());
        ovs.createBridge(socket(), "OpenFlow13,OpenFlow14");
        FlowProgrammer p = awaitSwitch().programmer();
        List<FlowRule> flows = new ArrayList<>(SampleFlows.flows(30));
        p.apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);

        FlowRule old = flows.get(10);
        FlowRule changed = new FlowRule(old.tableId(), old.priority(), old.match(), List.of(apply(output(4242))),
                old.cookie());
        flows.set(10, changed);
        long before = p.flowModsSent();
        ApplyResult r = p.apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);
        assertThat(r).extracting(ApplyResult::added, ApplyResult::modified, ApplyResult::deleted,
                ApplyResult::flowModsSent).containsExactly(0, 1, 0, 1L);
        assertThat(p.flowModsSent() - before).isEqualTo(1);
        assertSwitchHolds(flows, SampleFlows.groups());

        // A new cookie on the same key replaces the flow (one ADD), and one removal is one delete.
        FlowRule recookied = new FlowRule(changed.tableId(), changed.priority(), changed.match(),
                changed.instructions(), Cookies.of(Cookies.Kind.HOST, "h9"));
        flows.set(10, recookied);
        FlowRule removed = flows.remove(20);
        r = p.apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);
        assertThat(r).extracting(ApplyResult::added, ApplyResult::modified, ApplyResult::deleted)
                .containsExactly(0, 1, 1);
        assertThat(p.installedFlows()).doesNotContain(removed).contains(recookied);
        assertSwitchHolds(flows, SampleFlows.groups());

        // The incremental form touches only the named flows.
        FlowRule back = flows.get(10);
        FlowRule third = new FlowRule(back.tableId(), back.priority(), back.match(), List.of(apply(output(77))),
                back.cookie());
        flows.set(10, third);
        FlowRule gone = flows.remove(11);
        before = p.flowModsSent();
        r = p.applyChanges(List.of(third), List.of(gone.key(), removed.key())).get(10, TimeUnit.SECONDS);
        assertThat(r).extracting(ApplyResult::modified, ApplyResult::deleted).containsExactly(1, 1);
        assertThat(p.flowModsSent() - before).isEqualTo(2);
        assertSwitchHolds(flows, SampleFlows.groups());
    }

    @Test
    void flowsOnTheSwitchBeforeConnectAreReadAndUnwantedOrForeignOnesRemoved() throws Exception {
        // The controller is configured before the flows are added: OVS flushes a bridge's tables when it gains its
        // first controller. Nothing listens yet, so the bridge keeps retrying until listen() below.
        ovs.createBridge(socket(), "OpenFlow13,OpenFlow14");
        List<FlowRule> flows = SampleFlows.flows(5);
        FlowRule kept = flows.get(6);
        // One desired flow already there, one Weft-expressible stranger, one foreign (udp port: not in the model).
        ovs.ofctl("-O", "OpenFlow13", "add-flow", ovs.mgmt(), OfctlFormat(kept));
        ovs.ofctl("-O", "OpenFlow13", "add-flow", ovs.mgmt(), "table=3,priority=9,in_port=7,actions=output:8");
        ovs.ofctl("-O", "OpenFlow13", "add-flow", ovs.mgmt(), "table=4,priority=9,udp,tp_dst=53,actions=drop");
        listen(ChannelConfig.defaults());
        FlowProgrammer p = awaitSwitch().programmer();
        assertThat(p.installedFlows()).hasSize(2).contains(kept);
        assertThat(p.foreignFlows()).hasSize(1);

        ApplyResult r = p.apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);
        assertThat(r.added()).isEqualTo(flows.size() - 1);
        assertThat(r.deleted()).isEqualTo(2);
        assertThat(p.foreignFlows()).isEmpty();
        assertSwitchHolds(flows, SampleFlows.groups());
    }

    private static String OfctlFormat(FlowRule r) {
        // ovs-ofctl add-flow takes the dump syntax without spaces after commas.
        return io.weft.model.flow.OfctlFormat.flow(r).replace(", ", ",").replace(" actions=", ",actions=");
    }

    @Test
    void afterControllerAndSwitchRestartsTheProgrammerResyncsWithoutDuplicatesOrGaps() throws Exception {
        ChannelConfig config = ChannelConfig.defaults().withEchoInterval(Duration.ofSeconds(1));
        listen(config);
        ovs.createBridge(socket(), "OpenFlow13,OpenFlow14");
        List<FlowRule> flows = SampleFlows.flows(30);
        awaitSwitch().programmer().apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);

        // Controller restart: the switch keeps its flows; the new programmer reads them and sends nothing.
        server.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.disconnects.contains(DPID));
        listen(config);
        FlowProgrammer fresh = awaitSwitch().programmer();
        assertThat(fresh.installedFlows()).hasSameSizeAs(flows);
        assertThat(fresh.apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS).unchanged()).isTrue();
        assertThat(fresh.flowModsSent()).isZero();

        // Switch restart: ovs-vswitchd loses its tables; the reconnected programmer sees that and re-adds all.
        listener.disconnects.clear();
        ovs.killVswitchd();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.disconnects.contains(DPID));
        ovs.startVswitchd();
        FlowProgrammer afterRestart = awaitSwitch().programmer();
        assertThat(afterRestart).isNotSameAs(fresh);
        ApplyResult r = afterRestart.apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);
        assertThat(r.added()).isEqualTo(flows.size());
        assertSwitchHolds(flows, SampleFlows.groups());
    }

    @Test
    void aFlowTheSwitchRejectsFailsTheWholeBundleAndChangesNothing() throws Exception {
        listen(ChannelConfig.defaults());
        ovs.createBridge(socket(), "OpenFlow13,OpenFlow14");
        FlowProgrammer p = awaitSwitch().programmer();
        List<FlowRule> flows = new ArrayList<>(SampleFlows.flows(10));
        p.apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);
        String before = dumpFlows();

        List<FlowRule> next = new ArrayList<>(SampleFlows.flows(12));
        FlowRule bad = new FlowRule(50, 7, Match.builder().exact(Field.IN_PORT, 3).build(),
                List.of(apply(new Action.Group(99))), 1);
        next.add(bad);
        assertThatThrownBy(() -> p.apply(next, SampleFlows.groups()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ApplyException.class)
                .hasMessageContaining("nothing applied")
                .hasMessageContaining("BAD_OUT_GROUP")
                .hasMessageContaining("table=50, priority=7,in_port=3 actions=group:99")
                .satisfies(e -> assertThat(((ApplyException) e).notApplied()).hasSize(next.size() - flows.size()));
        assertThat(OfctlText.dumpedFlows(dumpFlows())).isEqualTo(OfctlText.dumpedFlows(before));
        assertThat(p.installedFlows()).containsExactlyInAnyOrderElementsOf(
                flows.stream().map(FlowTranslator::canonical).toList());

        // Without the bad flow the same change goes through, and only the difference is sent.
        next.remove(bad);
        ApplyResult r = p.apply(next, SampleFlows.groups()).get(10, TimeUnit.SECONDS);
        assertThat(r.added()).isEqualTo(next.size() - flows.size());
        assertSwitchHolds(next, SampleFlows.groups());
    }

    @Test
    void withOpenFlow13TheRestIsAppliedTheRejectedFlowReportedAndTheViewStaysTrue() throws Exception {
        listen(ChannelConfig.defaults().withMaxVersion(OFVersion.OF_13));
        ovs.createBridge(socket(), "OpenFlow13,OpenFlow14");
        SwitchHandle sw = awaitSwitch();
        assertThat(sw.version()).isEqualTo(OFVersion.OF_13);
        List<FlowRule> flows = new ArrayList<>(SampleFlows.flows(10));
        FlowRule bad = new FlowRule(50, 7, Match.builder().exact(Field.IN_PORT, 3).build(),
                List.of(apply(new Action.Group(99))), 1);
        flows.add(bad);
        assertThatThrownBy(() -> sw.programmer().apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(ApplyException.class).hasMessageContaining("BAD_OUT_GROUP")
                .satisfies(e -> assertThat(((ApplyException) e).notApplied()).containsExactly(new Change.AddFlow(bad)));
        flows.remove(bad);
        assertSwitchHolds(flows, SampleFlows.groups());
        assertThat(sw.programmer().apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS).unchanged()).isTrue();
    }

    @Test
    void rolesStatsAndPacketOutWorkAgainstOvs() throws Exception {
        listen(ChannelConfig.defaults());
        ovs.createBridge(socket(), "OpenFlow13,OpenFlow14");
        ovs.vsctl("add-port", "br-int", "wp2", "--", "set", "interface", "wp2", "type=internal", "ofport_request=9");
        SwitchHandle sw = awaitSwitch();
        assertThat(sw.setRole(Role.MASTER, 5).get(5, TimeUnit.SECONDS)).isEqualTo(Role.MASTER);
        assertThatThrownBy(() -> sw.setRole(Role.SLAVE, 4).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(OpenFlowErrorException.class).hasMessageContaining("STALE");
        assertThat(sw.setRole(Role.EQUAL, 0).get(5, TimeUnit.SECONDS)).isEqualTo(Role.EQUAL);

        await().atMost(Duration.ofSeconds(10)).until(() -> sw.ports().containsKey(9L));
        ovs.inNs("ip", "link", "set", "wp2", "up");
        long txBefore = sw.portStats().get(5, TimeUnit.SECONDS).stream()
                .filter(e -> e.getPortNo().getPortNumber() == 9).findFirst().orElseThrow().getTxPackets().getValue();
        byte[] frame = new byte[60];
        java.util.Arrays.fill(frame, 0, 6, (byte) 0xff); // broadcast
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xb5; // local experimental EtherType
        sw.packetOut(Action.PORT_CONTROLLER, List.of(output(9)), frame).get(5, TimeUnit.SECONDS);
        sw.barrier().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> sw.portStats().get(5, TimeUnit.SECONDS).stream()
                .filter(e -> e.getPortNo().getPortNumber() == 9).findFirst().orElseThrow()
                .getTxPackets().getValue() > txBefore);
        assertThat(sw.flowStats().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(sw.groupDesc().get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void theConnectorReachesABridgesPassiveTargetAndCookieMaskedDeleteRemovesAnOwner() throws Exception {
        String passive = "punix:" + ovs.dir.resolve("br-int.of");
        ovs.createBridge(passive, "OpenFlow13,OpenFlow14");
        connector = new OpenFlowConnector(listener, ChannelConfig.defaults(), Duration.ofMillis(200));
        // The connector dials the active form of the bridge's listener (Host.openflowDialed in the controller).
        connector.connect(ConnectionTarget.parse(passive).dialedAt(null).toString());
        FlowProgrammer p = awaitSwitch().programmer();
        List<FlowRule> flows = SampleFlows.flows(10);
        p.apply(flows, SampleFlows.groups()).get(10, TimeUnit.SECONDS);

        long ep3 = Cookies.of(Cookies.Kind.ENDPOINT, "net/ep3");
        p.deleteByCookie(ep3, Cookies.OWNER_MASK).get(10, TimeUnit.SECONDS);
        List<FlowRule> rest = flows.stream().filter(f -> f.cookie() != ep3).toList();
        assertThat(rest).hasSize(flows.size() - 7);
        assertSwitchHolds(rest, SampleFlows.groups());
        assertThat(p.apply(rest, SampleFlows.groups()).get(10, TimeUnit.SECONDS).unchanged()).isTrue();
    }
}
