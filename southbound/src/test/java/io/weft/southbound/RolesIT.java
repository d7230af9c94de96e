package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.model.flow.FlowRule;
import io.weft.testbed.OvsSandbox;
import io.weft.testbed.OvsSandboxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two controllers on one real ovs-vswitchd bridge, as two Weft replicas are: the switch lets only its master change
 * flows, and refuses a master request older than one it has granted. This is the OpenFlow half of fencing a
 * demoted leader.
 */
class RolesIT {

    @RegisterExtension
    final OvsSandboxExtension sandbox = OvsSandboxExtension.perTest();
    private OvsSandbox ovs;
    private OpenFlowServer first;
    private OpenFlowServer second;
    private final RecordingListener firstSeen = new RecordingListener();
    private final RecordingListener secondSeen = new RecordingListener();

    @BeforeEach
    void start() throws Exception {
        ovs = sandbox.ovs();
        first = new OpenFlowServer(firstSeen, ChannelConfig.defaults());
        first.start(List.of(socket("a")));
        second = new OpenFlowServer(secondSeen, ChannelConfig.defaults());
        second.start(List.of(socket("b")));
        TestBridge.create(ovs, null, "OpenFlow13,OpenFlow14");
        ovs.vsctl("set-controller", "br-int", socket("a"), socket("b"));
    }

    @AfterEach
    void stop() {
        for (OpenFlowServer s : new OpenFlowServer[] {first, second}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    private String socket(String name) {
        return "unix:" + ovs.dir().resolve(name + ".sock");
    }

    private static SwitchHandle connected(RecordingListener seen) {
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.connected.containsKey(TestBridge.DPID));
        return seen.connected.get(TestBridge.DPID);
    }

    @Test
    void aDemotedMasterIsRefusedByTheSwitchAndCannotTakeItBackWithItsOldGeneration() throws Exception {
        SwitchHandle old = connected(firstSeen);
        SwitchHandle next = connected(secondSeen);
        List<FlowRule> flows = SampleFlows.flows(3);
        assertThat(old.setRole(Role.MASTER, 10).get(5, TimeUnit.SECONDS)).isEqualTo(Role.MASTER);
        assertThat(next.setRole(Role.SLAVE, 10).get(5, TimeUnit.SECONDS)).isEqualTo(Role.SLAVE);
        new TableDriver(old).apply(flows.subList(0, 1));

        // A follower's flow-mod is refused as from a slave, and said so.
        assertThatThrownBy(() -> next.send(List.of(new FlowMod.AddFlow(flows.get(1)))).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(ApplyException.class,
                        e -> assertThat(e.notMaster()).isTrue());

        // A newer leader takes the switch: the old master is demoted by the switch itself.
        assertThat(next.setRole(Role.MASTER, 11).get(5, TimeUnit.SECONDS)).isEqualTo(Role.MASTER);
        assertThatThrownBy(() -> old.send(List.of(new FlowMod.AddFlow(flows.get(2)))).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(ApplyException.class, e -> assertThat(e.notMaster()).isTrue());
        assertThatThrownBy(() -> old.setRole(Role.MASTER, 10).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(StaleRoleException.class);

        // Only the flow the master sent is on the switch.
        assertThat(next.flows().get(5, TimeUnit.SECONDS).flows()).containsExactly(flows.get(0));
    }
}
