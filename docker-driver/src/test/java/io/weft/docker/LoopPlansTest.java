package io.weft.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the agent's loops decide: the networks to mirror into Docker or remove, the endpoints to clean up. */
class LoopPlansTest {

    static WeftApi.Network weft(String name, String cidr, String gateway) {
        return new WeftApi.Network(name, 1, "vxlan", 1450, List.of(new WeftApi.Subnet(cidr, gateway)));
    }

    static DockerEngine.Network docker(String id, String name, String cidr, String gateway, boolean mirrored) {
        return new DockerEngine.Network(id, name, "weft", mirrored ? Map.of("weft.network", name) : Map.of(),
                new DockerEngine.Ipam("weft", Map.of(), List.of(new DockerEngine.IpamConfig(cidr, gateway))));
    }

    @Test
    void weftsNetworksMissingFromDockerAreCreatedAndDockersWithoutWeftsAreRemoved() {
        var plan = NetworkMirror.plan(List.of(weft("red", "10.0.0.0/24", "10.0.0.1"), weft("blue", "10.1.0.0/24",
                "10.1.0.1")), List.of(docker("d1", "red", "10.0.0.0/24", "10.0.0.1", true),
                docker("d2", "gone", "10.2.0.0/24", "10.2.0.1", true)), Set.of(), Set.of());
        assertThat(plan.create()).extracting(WeftApi.Network::name).containsExactly("blue");
        assertThat(plan.remove()).extracting(DockerEngine.Network::name).containsExactly("gone");
    }

    @Test
    void aNetworkBeingCreatedWithDockerHereIsLeftAloneUntilWeftHasIt() {
        var plan = NetworkMirror.plan(List.of(), List.of(docker("d1", "new", "10.0.0.0/24", "10.0.0.1", false)),
                Set.of("d1"), Set.of());
        assertThat(plan.remove()).isEmpty();
    }

    @Test
    void aNetworkAUserIsDeletingHereIsLeftToDockerWhileWeftDeletesIt() {
        var plan = NetworkMirror.plan(List.of(weft("red", "10.0.0.0/24", "10.0.0.1")), List.of(), Set.of(),
                Set.of("red"));
        assertThat(plan.create()).isEmpty();
        plan = NetworkMirror.plan(List.of(), List.of(docker("d1", "red", "10.0.0.0/24", "10.0.0.1", true)), Set.of(),
                Set.of("red"));
        assertThat(plan.remove()).isEmpty();
    }

    @Test
    void aWeftNetworkReplacedByAnotherOfTheSameNameIsRemovedForRecreation() {
        var plan = NetworkMirror.plan(List.of(weft("red", "10.9.0.0/24", "10.9.0.1")),
                List.of(docker("d1", "red", "10.0.0.0/24", "10.0.0.1", true)), Set.of(), Set.of());
        assertThat(plan.remove()).extracting(DockerEngine.Network::id).containsExactly("d1");
        assertThat(plan.create()).isEmpty();
    }

    @Test
    void aNetworkCreatedWithDockerWithoutGatewayIsWeftsNetwork() {
        // Docker lists the IPAM config its user gave: no gateway without --gateway, although Weft's IPAM chose one.
        var plan = NetworkMirror.plan(List.of(weft("green", "10.0.0.0/24", "10.0.0.1")),
                List.of(docker("d1", "green", "10.0.0.0/24", "", false)), Set.of(), Set.of());
        assertThat(plan.remove()).isEmpty();
        assertThat(plan.create()).isEmpty();
    }

    @Test
    void theDockerSideOfAWeftNetworkNamesItInItsDriverAndIpamOptions() {
        Map<String, Object> body = NetworkMirror.dockerNetwork(weft("red", "10.0.0.0/24", "10.0.0.1"));
        assertThat(body).containsEntry("Name", "red").containsEntry("Driver", "weft")
                .containsEntry("Options", Map.of("weft.network", "red"));
        assertThat(body.get("IPAM").toString()).contains("weft.network=red").contains("Subnet=10.0.0.0/24")
                .contains("Gateway=10.0.0.1");
    }

    static WeftApi.Endpoint endpoint(String network, String ip) {
        String token = "0000000" + ip.charAt(ip.length() - 1);
        return new WeftApi.Endpoint("h1-" + token, network, "h1", "wh" + token, ip, "02:42:00:00:00:01", null, 1450,
                24, "bound", null, List.of(), null);
    }

    @Test
    void endpointsOfContainersDockerNoLongerRunsAreStaleUnlessBeingStarted() {
        var running = EndpointJanitor.running(List.of(new DockerEngine.Container("c1", List.of("/web"),
                new DockerEngine.Settings(Map.of("red", new DockerEngine.Attachment("n", "e", "10.0.0.2", "m", null),
                        "bridge-like", new DockerEngine.Attachment("n2", "e2", "10.0.0.3", "m2", null))))),
                Set.of("red"));
        assertThat(running).containsExactly("red/10.0.0.2");
        var stale = EndpointJanitor.stale(List.of(endpoint("red", "10.0.0.2"), endpoint("red", "10.0.0.3"),
                endpoint("red", "10.0.0.4")), running, Set.of("wh00000004"));
        assertThat(stale).extracting(WeftApi.Endpoint::ip).containsExactly("10.0.0.3");
    }

    @Test
    void anEndpointIsCalledByItsContainersNameAndNetworkAliasesThatAreDnsLabels() {
        assertThat(EndpointAliases.wanted("Web1", List.of("www", "my_db", "web.1", "19d58ac08665", "www")))
                .isEqualTo(new EndpointAliases.Names(List.of("19d58ac08665", "web1", "www"), "web1"));
        assertThat(EndpointAliases.wanted("my_app", null)).as("Docker allows names DNS does not")
                .isEqualTo(new EndpointAliases.Names(List.of(), null));
        List<String> many = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "a" + i).toList();
        assertThat(EndpointAliases.wanted("zed", many).aliases()).hasSize(EndpointAliases.MAX_ALIASES)
                .contains("zed");
    }

    @Test
    void aContainersOwnNameIsNotALegacyLinksName() {
        assertThat(EndpointAliases.name(new DockerEngine.Container("c", List.of("/other/db", "/db"), null)))
                .isEqualTo("db");
        assertThat(EndpointAliases.name(new DockerEngine.Container("c", null, null))).isEmpty();
    }

    @Test
    void onlyEndpointsWhoseNamesDifferFromTheirRunningContainersAreChanged() {
        WeftApi.Endpoint named = endpoint("red", "10.0.0.2").withNames(List.of("www", "web1"), "web1");
        WeftApi.Endpoint renamed = endpoint("red", "10.0.0.3").withNames(List.of("old"), "old");
        WeftApi.Endpoint unnamed = endpoint("red", "10.0.0.5").withNames(List.of("db"), null); // announced before
        WeftApi.Endpoint notRunning = endpoint("red", "10.0.0.4");
        var changes = EndpointAliases.plan(List.of(named, renamed, unnamed, notRunning), Map.of(
                "red/10.0.0.2", new EndpointAliases.Names(List.of("web1", "www"), "web1"),
                "red/10.0.0.3", new EndpointAliases.Names(List.of("new"), "new"),
                "red/10.0.0.5", new EndpointAliases.Names(List.of("db"), "db")));
        assertThat(changes).containsExactly(
                new EndpointAliases.Change("red", renamed.name(), renamed.port(),
                        new EndpointAliases.Names(List.of("new"), "new")),
                new EndpointAliases.Change("red", unnamed.name(), unnamed.port(),
                        new EndpointAliases.Names(List.of("db"), "db")));
    }

    @Test
    void onlyTheAgentsOwnVethsCount() {
        assertThat(Veth.isAgents("wh0123abcd")).isTrue();
        assertThat(Veth.isAgents("ve-c1")).isFalse();
        assertThat(Veth.isAgents("wh0123abcde")).isFalse();
        Veth v = Veth.ofHostSide("wh0123abcd");
        assertThat(v.containerSide()).isEqualTo("wc0123abcd");
        assertThat(v.endpointName("h2")).isEqualTo("h2-0123abcd");
    }
}
