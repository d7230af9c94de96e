package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.model.flow.Action;
import io.weft.model.flow.FailoverGroup;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import io.weft.testbed.OvsSandbox;
import io.weft.testbed.OvsSandboxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fast-failover groups on a real ovs-vswitchd: written, read back as written, named by flows, diffed away. */
class GroupsIT {

    @RegisterExtension
    final OvsSandboxExtension sandbox = OvsSandboxExtension.perTest();
    private OvsSandbox ovs;
    private OpenFlowServer server;
    private final RecordingListener seen = new RecordingListener();

    @BeforeEach
    void start() throws Exception {
        ovs = sandbox.ovs();
        server = new OpenFlowServer(seen, ChannelConfig.defaults());
        String socket = "unix:" + ovs.dir().resolve("of.sock");
        server.start(List.of(socket));
        TestBridge.create(ovs, socket, "OpenFlow13");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aFailoverGroupIsReadBackAsWrittenAndAFlowNamesIt() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.connected.containsKey(TestBridge.DPID));
        SwitchHandle sw = seen.connected.get(TestBridge.DPID);
        FailoverGroup group = new FailoverGroup(7, List.of(FailoverGroup.Bucket.outOf(1),
                FailoverGroup.Bucket.outOf(2)));
        FlowRule toGroup = new FlowRule(1, 100, Match.builder().exact(Field.ETH_DST, 0x0200_0000_0001L).build(),
                List.of(Instruction.apply(Action.group(7))), 0x42);

        GroupDiff add = GroupDiff.between(GroupTable.EMPTY, List.of(group));
        sw.sendGroups(add.beforeFlows()).get(5, TimeUnit.SECONDS);
        sw.send(List.of(new FlowMod.AddFlow(toGroup))).get(5, TimeUnit.SECONDS);
        assertThat(sw.groups().get(5, TimeUnit.SECONDS)).isEqualTo(GroupTable.of(Map.of(7L, group)));
        assertThat(sw.flows().get(5, TimeUnit.SECONDS).flows()).containsExactly(toGroup);

        FailoverGroup swapped = new FailoverGroup(7, List.of(FailoverGroup.Bucket.outOf(2),
                FailoverGroup.Bucket.outOf(1)));
        GroupDiff modify = GroupDiff.between(sw.groups().get(5, TimeUnit.SECONDS), List.of(swapped));
        assertThat(modify.beforeFlows()).containsExactly(new GroupMod.ModifyGroup(swapped));
        sw.sendGroups(modify.beforeFlows()).get(5, TimeUnit.SECONDS);
        assertThat(sw.groups().get(5, TimeUnit.SECONDS).failover()).containsEntry(7L, swapped);
    }

    @Test
    void aGroupWeftCannotExpressIsForeignAndDeleted() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.connected.containsKey(TestBridge.DPID));
        SwitchHandle sw = seen.connected.get(TestBridge.DPID);
        ovs.ofctl("-O", "OpenFlow13", "add-group", ovs.mgmt("br-int"), "group_id=9,type=all,bucket=output:1");

        GroupTable held = sw.groups().get(5, TimeUnit.SECONDS);
        assertThat(held.foreign()).isEqualTo(Set.of(9L));
        GroupDiff diff = GroupDiff.between(held, List.of());
        assertThat(diff.afterFlows()).containsExactly(new GroupMod.DeleteGroup(9));
        sw.sendGroups(diff.afterFlows()).get(5, TimeUnit.SECONDS);
        assertThat(sw.groups().get(5, TimeUnit.SECONDS)).isEqualTo(GroupTable.EMPTY);
    }
}
