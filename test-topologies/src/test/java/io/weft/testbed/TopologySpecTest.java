package io.weft.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class TopologySpecTest {

    @Test
    void namedTopologiesAreOneLineForTheLauncher() {
        assertThat(TopologySpec.twosites().launcherLine()).isEqualTo("twosites");
        assertThat(TopologySpec.mesh(6, 3, 2).launcherLine()).isEqualTo("mesh,hosts=6,containers=3,networks=2");
        assertThat(TopologySpec.onelan(4).launcherLine()).isEqualTo("onelan,hosts=4");
        assertThatThrownBy(() -> TopologySpec.named("twosites\ndown")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopologySpec.named(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void explicitSpecsSerialiseToTheLaunchersJson() throws Exception {
        TopologySpec spec = TopologySpec.builder()
                .segment("lan1", "172.31.1.0/24")
                .router("r1", java.util.List.of(new TopologySpec.RouterInterface("lan1", "172.31.1.1/24")), null)
                .host("h1", "lan1", "172.31.1.11/24")
                .network("blue", 100, new TopologySpec.NetworkSubnet("10.65.10.0/24", "10.65.10.254"))
                .container("c1", "h1", "blue", "10.65.10.1/24", "10.65.10.254", null)
                .build();
        String line = spec.launcherLine();
        assertThat(line).doesNotContain("\n");
        JsonNode json = TestBed.JSON.readTree(line);
        assertThat(json.path("segments").get(0).path("cidr").asText()).isEqualTo("172.31.1.0/24");
        assertThat(json.path("routers").get(0).path("routes").isArray()).isTrue();
        assertThat(json.path("hosts").get(0).has("gateway")).as("null gateway left out").isFalse();
        assertThat(json.path("networks").get(0).path("vni").asInt()).isEqualTo(100);
        assertThat(json.path("networks").get(0).path("encapsulation").asText()).isEqualTo("vxlan");
        assertThat(json.path("containers").get(0).path("network").asText()).isEqualTo("blue");
        assertThat(json.path("containers").get(0).has("mac")).isFalse();
    }

    @Test
    void aDescriptionParsesIntoTheBedRecords() throws Exception {
        String json = """
                {"runDir":"/tmp/weftbed-x","launcherPid":1,"hosts":[{"name":"h1","pid":7,"runDir":"/tmp/weftbed-x/h1",
                "ovsdbTarget":"unix:/tmp/weftbed-x/h1/db.sock","ovsdbCtl":"/tmp/weftbed-x/h1/ovsdb.ctl",
                "vswitchdCtl":"/tmp/weftbed-x/h1/vswitchd.ctl","ovsdbPid":8,"vswitchdPid":9,"tunnelIp":"172.31.1.11",
                "prefixLength":24,"underlayInterface":"eth0","underlayBridge":"br-phy","segment":"lan1","gateway":null,
                "datapathType":"netdev","futureField":1}],
                "containers":[{"name":"c1","host":"h1","pid":5,"interface":"eth0","hostInterface":"ve-c1",
                "ip":"10.65.10.1","prefixLength":24,"mac":"02:00:00:00:00:01","gateway":"10.65.10.254","network":"blue"}],
                "routers":[],"segments":[{"name":"lan1","pid":3,"cidr":"172.31.1.0/24","bridge":"br0","members":["h1"]}],
                "networks":[{"name":"blue","vni":100,"encapsulation":"vxlan","mtu":1400,
                "subnets":[{"cidr":"10.65.10.0/24","gateway":"10.65.10.254"}]}]}""";
        BedDescription d = TestBed.JSON.readValue(json, BedDescription.class);
        BedHost h1 = d.hosts().get(0);
        assertThat(h1.runDir()).isEqualTo(java.nio.file.Path.of("/tmp/weftbed-x/h1"));
        assertThat(h1.bridgeMgmtTarget("br-int")).isEqualTo("unix:/tmp/weftbed-x/h1/br-int.mgmt");
        assertThat(h1.toModel().ovsdbTarget()).contains("unix:/tmp/weftbed-x/h1/db.sock");
        assertThat(h1.ovsEnvironment()).containsEntry("OVS_RUNDIR", "/tmp/weftbed-x/h1");
        BedContainer c1 = d.containers().get(0);
        assertThat(c1.interfaceName()).isEqualTo("eth0");
        assertThat(c1.cidr()).isEqualTo("10.65.10.1/24");
        assertThat(c1.toEndpoint().port()).isEqualTo("ve-c1");
        assertThat(d.networks().get(0).toModel().vni()).isEqualTo(100);
    }
}
