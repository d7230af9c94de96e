package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import io.weft.model.flow.Meter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/** Version negotiation and OpenFlow 1.0 sessions against fake switches on loopback. */
class OpenFlow10ChannelTest {

    private final RecordingListener listener = new RecordingListener();
    private OpenFlowServer server;
    private int port;

    @BeforeEach
    void start() {
        server = new OpenFlowServer(listener, ChannelConfig.defaults().withHandshakeTimeout(Duration.ofSeconds(2)));
        server.start(List.of("tcp:127.0.0.1:0"));
        port = ((InetSocketAddress) server.boundAddresses().get(0)).getPort();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private SwitchHandle awaitSwitch(long dpid) {
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.connected.containsKey(dpid));
        return listener.connected.get(dpid);
    }

    @Test
    void aSwitchThatOffersOnly10SpeaksOpenFlow10WithItsPortsFromTheFeaturesReply() throws Exception {
        try (FakeSwitch sw = FakeSwitch.connect(port, 50, OFVersion.OF_10)) {
            SwitchHandle h = awaitSwitch(50);
            assertThat(h.version()).isEqualTo(OpenFlowVersion.OF_10);
            assertThat(h.atomicUpdates()).isFalse();
            assertThat(h.ports()).containsOnlyKeys(FakeSwitch.PORT);
            assertThat(h.ports().get(FakeSwitch.PORT).name()).isEqualTo("p1");
            h.barrier().get(5, TimeUnit.SECONDS);
            assertThat(sw.received).filteredOn(m -> m.getType() != OFType.HELLO)
                    .allMatch(m -> m.getVersion() == OFVersion.OF_10);
            assertThat(sw.closedByPeer()).isFalse();
        }
    }

    @Test
    void theHighestVersionOfBothBitmapsIsChosen() throws Exception {
        try (FakeSwitch sw = FakeSwitch.connect(port, 51, OFVersion.OF_10, OFVersion.OF_13)) {
            assertThat(awaitSwitch(51).version()).isEqualTo(OpenFlowVersion.OF_13);
        }
        try (FakeSwitch sw = FakeSwitch.connect(port, 52, OFVersion.OF_10, OFVersion.OF_14)) {
            assertThat(awaitSwitch(52).version()).isEqualTo(OpenFlowVersion.OF_14);
        }
    }

    @Test
    void aSwitchWithoutACommonVersionIsRefusedInTheHandshake() throws Exception {
        try (FakeSwitch sw = FakeSwitch.connect(port, 53, OFVersion.OF_12)) {
            await().atMost(Duration.ofSeconds(5)).until(sw::closedByPeer);
            assertThat(sw.received).as("%s", sw.received).extracting(m -> m.getType()).contains(OFType.ERROR);
            assertThat(listener.connects).doesNotContain(53L);
        }
    }

    @Test
    void flowsPacketOutAndPacketInTravelAsOpenFlow10Messages() throws Exception {
        try (FakeSwitch sw = FakeSwitch.connect(port, 54, OFVersion.OF_10)) {
            SwitchHandle h = awaitSwitch(54);
            FlowRule flow = new FlowRule(0, 100, Match.builder().exact(Field.IN_PORT, 1)
                    .exact(Field.ETH_SRC, 0x0200_0000_0001L).exact(Field.ETH_DST, 0x0200_0000_0002L).build(),
                    List.of(Instruction.apply(Action.output(2), Action.output(Action.PORT_CONTROLLER))), 0x77);
            h.send(List.of(new FlowMod.AddFlow(flow))).get(5, TimeUnit.SECONDS);
            OFFlowMod sent = (OFFlowMod) sw.received.stream().filter(m -> m.getType() == OFType.FLOW_MOD)
                    .findFirst().orElseThrow();
            assertThat(sent.getVersion()).isEqualTo(OFVersion.OF_10);
            assertThat(sent.getActions()).hasSize(2);

            h.packetOut(Action.PORT_CONTROLLER, List.of(Action.output(1)), new byte[60]).get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> sw.received.stream().anyMatch(m -> m.getType() == OFType.PACKET_OUT));

            byte[] frame = new byte[60];
            frame[0] = 7;
            sw.send(sw.f.buildPacketIn().setXid(0).setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(3))
                    .setReason(OFPacketInReason.NO_MATCH).setTotalLen(60).setData(frame).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> !listener.packetIns.isEmpty());
            assertThat(listener.packetIns.get(0).inPort()).isEqualTo(3);
            assertThat(listener.packetIns.get(0).data()).isEqualTo(frame);
        }
    }

    @Test
    void whatOpenFlow10CannotExpressFailsClearlyAndSendsNothing() throws Exception {
        try (FakeSwitch sw = FakeSwitch.connect(port, 55, OFVersion.OF_10)) {
            SwitchHandle h = awaitSwitch(55);
            FlowRule ok = new FlowRule(0, 1, Match.ANY, List.of(), 1);
            FlowRule secondTable = new FlowRule(1, 1, Match.ANY, List.of(), 1);
            FlowRule gotoTable = new FlowRule(0, 2, Match.ANY, List.of(Instruction.gotoTable(1)), 1);
            FlowRule metadata = new FlowRule(0, 3, Match.builder().exact(Field.METADATA, 1).build(), List.of(), 1);
            for (FlowRule bad : List.of(secondTable, gotoTable, metadata)) {
                assertThatThrownBy(() -> h.send(List.of(new FlowMod.AddFlow(ok), new FlowMod.AddFlow(bad)))
                        .get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause()
                        .isInstanceOf(UnsupportedByVersionException.class).hasMessageContaining("OpenFlow 1.0");
            }
            assertThatThrownBy(() -> h.ensureMeter(new Meter(1, 1000, 200)).get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOf(UnsupportedByVersionException.class).hasMessageContaining("meters");
            assertThatThrownBy(() -> h.setRole(Role.MASTER, 1).get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOf(UnsupportedByVersionException.class).hasMessageContaining("roles");
            h.barrier().get(5, TimeUnit.SECONDS);
            assertThat(sw.received).extracting(m -> m.getType())
                    .doesNotContain(OFType.FLOW_MOD, OFType.METER_MOD, OFType.ROLE_REQUEST);
        }
    }
}
