package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.weft.model.DatapathType;
import io.weft.model.Encapsulation;
import io.weft.model.Ipv4Address;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden transactions for the diff: each case states the exact operations ovsdb-server must receive. */
class ProvisionPlannerTest {

    private static final Ipv4Address H1 = Ipv4Address.parse("172.31.1.1");

    private static DesiredPort tunnel(String peer, String ip, Encapsulation e) {
        return new TunnelPort(peer, e, H1, Ipv4Address.parse(ip)).toDesiredPort();
    }

    private static DesiredBridge bridge(DesiredPort... ports) {
        return new DesiredBridge("br-int", DatapathType.NETDEV, List.of("punix:/run/weft/h1.of"), List.of(ports));
    }

    private static final DesiredPort VX_H2 = tunnel("h2", "172.31.1.2", Encapsulation.VXLAN);
    private static final DesiredPort GRE_H2 = tunnel("h2", "172.31.1.2", Encapsulation.GRE);
    private static final DesiredPort VX_H3 = tunnel("h3", "172.31.1.3", Encapsulation.VXLAN);

    private static JsonNode json(List<Operation> ops) {
        ArrayNode a = OvsdbCodec.MAPPER.createArrayNode();
        ops.forEach(o -> a.add(o.toJson()));
        try {
            return OvsdbCodec.MAPPER.readTree(a.toString()); // compare as text would: 1L equals 1
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String text) throws Exception {
        return OvsdbCodec.MAPPER.readTree(text);
    }

    private static final String NEXT_CFG = """
            {"op":"mutate","table":"Open_vSwitch","where":[["_uuid","==",["uuid","ovs-root"]]],
             "mutations":[["next_cfg","+=",1]]},
            {"op":"select","table":"Open_vSwitch","where":[["_uuid","==",["uuid","ovs-root"]]],
             "columns":["next_cfg"]}""";

    @Test
    void createsTheBridgeItsInternalPortTunnelsAndControllerFromScratch() throws Exception {
        OvsdbSnapshot empty = new SnapshotBuilder().build();
        ProvisionPlan plan = ProvisionPlanner.plan(bridge(VX_H2, GRE_H2), empty);
        assertThat(json(plan.operations())).isEqualTo(json("""
                [{"op":"insert","table":"Interface","row":{"external_ids":["map",[["weft-owner","weft"]]],
                   "name":"br-int","options":["map",[]],"type":"internal"},"uuid-name":"iface_bridge"},
                 {"op":"insert","table":"Port","row":{"external_ids":["map",[["weft-owner","weft"]]],
                   "interfaces":["set",[["named-uuid","iface_bridge"]]],"name":"br-int"},"uuid-name":"port_bridge"},
                 {"op":"insert","table":"Interface","row":{"external_ids":["map",[["weft-encap","gre"],
                   ["weft-owner","weft"],["weft-peer","h2"]]],"name":"gre-h2","options":["map",[["key","flow"],
                   ["local_ip","172.31.1.1"],["remote_ip","172.31.1.2"]]],"type":"gre"},"uuid-name":"iface0"},
                 {"op":"insert","table":"Port","row":{"external_ids":["map",[["weft-encap","gre"],
                   ["weft-owner","weft"],["weft-peer","h2"]]],"interfaces":["set",[["named-uuid","iface0"]]],
                   "name":"gre-h2"},"uuid-name":"port0"},
                 {"op":"insert","table":"Interface","row":{"external_ids":["map",[["weft-encap","vxlan"],
                   ["weft-owner","weft"],["weft-peer","h2"]]],"name":"vxlan-h2","options":["map",[["key","flow"],
                   ["local_ip","172.31.1.1"],["remote_ip","172.31.1.2"]]],"type":"vxlan"},"uuid-name":"iface1"},
                 {"op":"insert","table":"Port","row":{"external_ids":["map",[["weft-encap","vxlan"],
                   ["weft-owner","weft"],["weft-peer","h2"]]],"interfaces":["set",[["named-uuid","iface1"]]],
                   "name":"vxlan-h2"},"uuid-name":"port1"},
                 {"op":"insert","table":"Controller","row":{"external_ids":["map",[["weft-owner","weft"]]],
                   "target":"punix:/run/weft/h1.of"},"uuid-name":"controller0"},
                 {"op":"insert","table":"Bridge","row":{"controller":["set",[["named-uuid","controller0"]]],
                   "datapath_type":"netdev","external_ids":["map",[["weft-owner","weft"]]],"fail_mode":"secure",
                   "name":"br-int","other_config":["map",[["disable-in-band","true"]]],
                   "ports":["set",[["named-uuid","port_bridge"],["named-uuid","port0"],["named-uuid","port1"]]],
                   "protocols":["set",["OpenFlow13","OpenFlow14"]]},"uuid-name":"bridge"},
                 {"op":"mutate","table":"Open_vSwitch","where":[["_uuid","==",["uuid","ovs-root"]]],
                  "mutations":[["bridges","insert",["set",[["named-uuid","bridge"]]]]]},
                """ + NEXT_CFG + "]"));
    }

    @Test
    void sameDesiredStateAgainPlansNothing() {
        DesiredBridge desired = bridge(VX_H2, GRE_H2, VX_H3);
        ProvisionPlan plan = ProvisionPlanner.plan(desired, SnapshotBuilder.converged(desired).build());
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void addingOnePortInsertsOnlyThatPortGuardedByAWaitOnThePortList() throws Exception {
        OvsdbSnapshot actual = SnapshotBuilder.converged(bridge(VX_H2)).build();
        ProvisionPlan plan = ProvisionPlanner.plan(bridge(VX_H2, GRE_H2), actual);
        assertThat(json(plan.operations())).isEqualTo(json("""
                [{"op":"wait","table":"Bridge","timeout":0,"where":[["_uuid","==",["uuid","bridge-br-int"]]],
                  "columns":["ports"],"until":"==",
                  "rows":[{"ports":["set",[["uuid","port-br-int"],["uuid","port-vxlan-h2"]]]}]},
                 {"op":"insert","table":"Interface","row":{"external_ids":["map",[["weft-encap","gre"],
                   ["weft-owner","weft"],["weft-peer","h2"]]],"name":"gre-h2","options":["map",[["key","flow"],
                   ["local_ip","172.31.1.1"],["remote_ip","172.31.1.2"]]],"type":"gre"},"uuid-name":"iface0"},
                 {"op":"insert","table":"Port","row":{"external_ids":["map",[["weft-encap","gre"],
                   ["weft-owner","weft"],["weft-peer","h2"]]],"interfaces":["set",[["named-uuid","iface0"]]],
                   "name":"gre-h2"},"uuid-name":"port0"},
                 {"op":"mutate","table":"Bridge","where":[["_uuid","==",["uuid","bridge-br-int"]]],
                  "mutations":[["ports","insert",["set",[["named-uuid","port0"]]]]]},
                """ + NEXT_CFG + "]"));
    }

    @Test
    void removingOnePortDetachesItAndDeletesItsRows() throws Exception {
        OvsdbSnapshot actual = SnapshotBuilder.converged(bridge(VX_H2, VX_H3)).build();
        ProvisionPlan plan = ProvisionPlanner.plan(bridge(VX_H2), actual);
        assertThat(json(plan.operations())).isEqualTo(json("""
                [{"op":"wait","table":"Bridge","timeout":0,"where":[["_uuid","==",["uuid","bridge-br-int"]]],
                  "columns":["ports"],"until":"==",
                  "rows":[{"ports":["set",[["uuid","port-br-int"],["uuid","port-vxlan-h2"],
                                           ["uuid","port-vxlan-h3"]]]}]},
                 {"op":"mutate","table":"Bridge","where":[["_uuid","==",["uuid","bridge-br-int"]]],
                  "mutations":[["ports","delete",["set",[["uuid","port-vxlan-h3"]]]]]},
                 {"op":"delete","table":"Port","where":[["_uuid","==",["uuid","port-vxlan-h3"]]]},
                 {"op":"delete","table":"Interface","where":[["_uuid","==",["uuid","iface-vxlan-h3"]]]},
                """ + NEXT_CFG + "]"));
    }

    @Test
    void aPortMadeByHandIsNeverTouchedEvenWhenItsNameIsWanted() {
        DesiredBridge desired = bridge(VX_H2);
        SnapshotBuilder b = SnapshotBuilder.converged(desired);
        String hand = b.port("tap-hand", "", Map.of(), Map.of());
        String clash = b.port("gre-h2", "gre", Map.of("remote_ip", "10.9.9.9"), Map.of("made-by", "admin"));
        OvsdbSnapshot actual = b.withPortOn("br-int", hand).withPortOn("br-int", clash).build();

        assertThat(ProvisionPlanner.plan(desired, actual).isEmpty()).as("hand-made port not deleted").isTrue();
        ProvisionPlan wantsClash = ProvisionPlanner.plan(bridge(VX_H2, GRE_H2), actual);
        assertThat(wantsClash.isEmpty()).as("a foreign port with a wanted name is not replaced").isTrue();
        assertThat(wantsClash.notes()).singleElement().asString().contains("gre-h2", "weft-owner");
    }

    @Test
    void aChangedOptionUpdatesOnlyThatInterface() throws Exception {
        OvsdbSnapshot actual = SnapshotBuilder.converged(bridge(VX_H2, GRE_H2)).build();
        DesiredPort moved = tunnel("h2", "172.31.1.22", Encapsulation.VXLAN);
        ProvisionPlan plan = ProvisionPlanner.plan(bridge(moved, GRE_H2), actual);
        List<JsonNode> ops = new ArrayList<>();
        json(plan.operations()).forEach(ops::add);
        assertThat(ops).hasSize(4);
        assertThat(ops.get(0).get("op").asText()).isEqualTo("wait");
        assertThat(ops.get(1)).isEqualTo(json("""
                {"op":"update","table":"Interface","where":[["_uuid","==",["uuid","iface-vxlan-h2"]]],
                 "row":{"options":["map",[["key","flow"],["local_ip","172.31.1.1"],["remote_ip","172.31.1.22"]]]}}"""));
    }

    @Test
    void bridgeSettingsAndControllersAreRestoredOnlyOnWeftsOwnBridge() throws Exception {
        DesiredBridge desired = bridge(VX_H2);
        SnapshotBuilder owned = SnapshotBuilder.converged(
                new DesiredBridge("br-int", DatapathType.NETDEV, List.of("tcp:127.0.0.1:6653"), desired.ports()));
        ProvisionPlan plan = ProvisionPlanner.plan(desired, owned.build());
        assertThat(json(plan.operations()).toString())
                .contains("{\"op\":\"insert\",\"table\":\"Controller\",\"row\":{\"external_ids\":[\"map\",[[\"weft-owner\",\"weft\"]]],\"target\":\"punix:/run/weft/h1.of\"},\"uuid-name\":\"controller0\"}")
                .contains("{\"op\":\"update\",\"table\":\"Bridge\",\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"bridge-br-int\"]]],\"row\":{\"controller\":[\"set\",[[\"named-uuid\",\"controller0\"]]]}}");

        SnapshotBuilder foreign = new SnapshotBuilder();
        String p = foreign.port("eth9", "", Map.of(), Map.of());
        foreign.bridge("br-int", false, "system", List.of(p), List.of());
        ProvisionPlan onForeign = ProvisionPlanner.plan(desired, foreign.build());
        assertThat(json(onForeign.operations()).toString()).doesNotContain("\"op\":\"update\"")
                .contains("\"name\":\"vxlan-h2\"").doesNotContain("\"op\":\"delete\"");
        assertThat(onForeign.notes()).singleElement().asString().contains("bridge br-int");
    }

    @Test
    void aRequestedOfportIsAskedForWhenThePortIsMadeAndNeverChangedAfterwards() throws Exception {
        OvsdbSnapshot actual = SnapshotBuilder.converged(bridge(VX_H2)).build();
        ProvisionPlan plan = ProvisionPlanner.plan(bridge(VX_H2, GRE_H2.withOfportRequest(32768)), actual);
        JsonNode insert = json(plan.operations()).get(1);
        assertThat(insert.get("table").asText()).isEqualTo("Interface");
        assertThat(insert.get("row").get("name").asText()).isEqualTo("gre-h2");
        assertThat(insert.get("row").get("ofport_request").asInt()).isEqualTo(32768);

        // A live port keeps its number even if the desired state asks for another: renumbering would cut it off
        // from its flows.
        assertThat(ProvisionPlanner.plan(bridge(VX_H2.withOfportRequest(40000)), actual).isEmpty()).isTrue();
    }
}
