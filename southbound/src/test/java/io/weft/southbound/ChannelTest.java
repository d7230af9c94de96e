package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFType;

/** The channel against a fake switch on loopback: handshake, dead-peer detection, error mapping. */
class ChannelTest {

    private final RecordingListener listener = new RecordingListener();
    private OpenFlowServer server;
    private int port;

    @BeforeEach
    void start() {
        server = new OpenFlowServer(listener, ChannelConfig.defaults().withEchoInterval(Duration.ofMillis(300))
                .withHandshakeTimeout(Duration.ofSeconds(2)));
        server.start(List.of("tcp:127.0.0.1:0"));
        port = ((InetSocketAddress) server.boundAddresses().get(0)).getPort();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void handshakeNegotiatesOpenFlow13WithASwitchThatOnlySpeaksIt() throws Exception {
        try (FakeSwitch sw = FakeSwitch.connect(port, 42)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.connected.containsKey(42L));
            SwitchHandle h = listener.connected.get(42L);
            assertThat(h.atomicUpdates()).as("OpenFlow 1.3: no bundles").isFalse();
            h.barrier().get(5, TimeUnit.SECONDS);
            assertThat(sw.closedByPeer()).isFalse();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.disconnects.contains(42L));
    }

    /**
     * A table read takes the reply's parts one by one as they arrive: every part's flows are in the table, and a
     * reply of another kind under the read's xid fails that read only; the switch is served on.
     */
    @Test
    void aTableReadTakesEveryPartAndAReplyOfAnotherKindFailsOnlyThatRead() throws Exception {
        try (FakeSwitch sw = FakeSwitch.connect(port, 46)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.connected.containsKey(46L));
            SwitchHandle h = listener.connected.get(46L);
            sw.rejecter = m -> m.getType() == OFType.STATS_REQUEST && m.getClass().getSimpleName().contains("FlowStats")
                    ? sw.f.buildDescStatsReply().setXid(m.getXid()).build() : null;
            assertThatThrownBy(() -> h.flows().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            sw.rejecter = m -> null;
            sw.flowStatsParts = 3; // two parts of 500 flows (the same 500 keys twice), then an empty last part
            FlowTable table = h.flows().get(5, TimeUnit.SECONDS);
            assertThat(table.flows()).hasSize(1000);
            assertThat(table.flows().get(999).priority()).isEqualTo(499);
            assertThat(sw.closedByPeer()).isFalse();
        }
    }

    @Test
    void aSecondConnectionFromTheSameSwitchReplacesTheFirstWithoutADisconnectEvent() throws Exception {
        try (FakeSwitch first = FakeSwitch.connect(port, 45)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.connected.containsKey(45L));
            SwitchHandle old = listener.connected.get(45L);
            try (FakeSwitch second = FakeSwitch.connect(port, 45)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> listener.connects.size() == 2);
                await().atMost(Duration.ofSeconds(5)).until(first::closedByPeer);
                assertThat(old.isConnected()).isFalse();
                assertThat(listener.disconnects).isEmpty();
                SwitchHandle current = listener.connected.get(45L);
                assertThat(current).isNotSameAs(old);
                current.barrier().get(5, TimeUnit.SECONDS);
                assertThat(second.closedByPeer()).isFalse();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.disconnects.contains(45L));
        }
    }

    @Test
    void aSwitchThatStopsAnsweringEchoesIsDeclaredDeadAfterOneUnansweredEcho() throws Exception {
        try (FakeSwitch sw = FakeSwitch.connect(port, 43)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.connected.containsKey(43L));
            // While it answers, it stays connected: three echoes asked for and answered, one per idle interval.
            await().atMost(Duration.ofSeconds(10)).until(() -> echoRequests(sw) >= 3);
            assertThat(listener.connected).containsKey(43L);
            assertThat(listener.disconnects).isEmpty();
            assertThat(sw.closedByPeer()).isFalse();

            sw.answerEchoes = false;
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.disconnects.contains(43L));
            await().atMost(Duration.ofSeconds(5)).until(sw::closedByPeer);
            // Silence is met with exactly one echo request; when that goes unanswered too, the switch is dead.
            assertThat(sw.unansweredEchoes).hasValue(1);
        }
    }

    private static long echoRequests(FakeSwitch sw) {
        return sw.received.stream().filter(m -> m.getType() == OFType.ECHO_REQUEST).count();
    }

    @Test
    void anErrorIsMappedBackToTheFlowThatCausedIt() throws Exception {
        try (FakeSwitch sw = FakeSwitch.connect(port, 44)) {
            sw.rejecter = m -> m instanceof OFFlowMod fm && fm.getPriority() == 666
                    ? sw.f.errorMsgs().buildBadActionErrorMsg().setXid(m.getXid())
                            .setCode(OFBadActionCode.BAD_OUT_PORT).build()
                    : null;
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.connected.containsKey(44L));
            SwitchHandle h = listener.connected.get(44L);
            FlowRule good = new FlowRule(0, 10, Match.builder().exact(Field.IN_PORT, 1).build(),
                    List.of(Instruction.apply(Action.output(2))), 5);
            FlowRule bad = new FlowRule(3, 666, Match.builder().exact(Field.IN_PORT, 2).build(),
                    List.of(Instruction.apply(Action.output(99))), 5);
            // OpenFlow 1.3 is not atomic: the refused change alone is reported as not applied.
            assertThatThrownBy(() -> h.send(List.of(new FlowMod.AddFlow(good), new FlowMod.AddFlow(bad)))
                    .get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ApplyException.class)
                    .hasMessageContaining("BAD_ACTION/BAD_OUT_PORT")
                    .hasMessageContaining("table=3, priority=666,in_port=2 actions=output:99")
                    .satisfies(e -> assertThat(((ApplyException) e).notApplied())
                            .containsExactly(new FlowMod.AddFlow(bad)));
        }
    }
}
