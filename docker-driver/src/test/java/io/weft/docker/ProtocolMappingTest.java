package io.weft.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.model.Encapsulation;
import io.weft.model.Ipv4Cidr;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How Docker's calls, exactly as dockerd 20.10.24 sent them, map to Weft: parsed, answered in the protocol's shape,
 * refused with the protocol's error field. Nothing here reaches a controller or dockerd: the calls under test are
 * answered or refused before that.
 */
class ProtocolMappingTest {

    @TempDir
    Path state;

    WeftDriver driver;
    Map<String, PluginServer.Call<?>> calls;

    @BeforeEach
    void driver() {
        // Unreachable on purpose: a call that tried to reach either would fail the test.
        WeftApi weft = new WeftApi(URI.create("http://127.0.0.1:9"), Optional.empty(), Optional.empty(),
                Duration.ofMillis(200));
        DockerEngine docker = new DockerSocketClient(state.resolve("no-docker.sock"), Duration.ofMillis(200));
        driver = new WeftDriver("h1", weft, docker, new IpLinks(Optional.empty()), new PoolBook(state.resolve("agent")),
                Duration.ofSeconds(1));
        calls = PluginServer.calls(driver);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private JsonNode answer(String path, String body) {
        PluginServer.Reply r = PluginServer.answer(calls, path, body.getBytes(StandardCharsets.UTF_8));
        return WeftApi.JSON.valueToTree(r.body());
    }

    @Test
    void everyCapturedRequestHasAHandlerAndParses() throws Exception {
        for (CapturedRequests.Captured c : CapturedRequests.all()) {
            assertThat(calls).as("a handler for %s", c.path()).containsKey(c.path());
            PluginServer.Call<?> call = calls.get(c.path());
            if (!c.body().isEmpty() && call.type() != PluginApi.Empty.class) {
                assertThat(WeftApi.JSON.readValue(c.body(), call.type())).as(c.path()).isNotNull();
            }
        }
    }

    @Test
    void theHandshakeAnnouncesBothDriversWithLocalScopeAndGlobalConnectivity() {
        assertThat(answer("/Plugin.Activate", "").path("Implements").toString())
                .isEqualTo("[\"NetworkDriver\",\"IpamDriver\"]");
        JsonNode caps = answer("/NetworkDriver.GetCapabilities", "");
        assertThat(caps.path("Scope").asText()).isEqualTo("local");
        assertThat(caps.path("ConnectivityScope").asText()).isEqualTo("global");
        JsonNode spaces = answer("/IpamDriver.GetDefaultAddressSpaces", "");
        assertThat(spaces.path("LocalDefaultAddressSpace").asText()).isEqualTo(PluginApi.ADDRESS_SPACE);
    }

    @Test
    void weftsIpamAsksDockerForNoMacSoThatWeftDerivesOneFromTheAddress() {
        // A random MAC per container leaves peers' ARP caches pointing at the previous holder of a reused address:
        // the first packets of a container that got an address back were answered to the wrong MAC.
        assertThat(answer("/IpamDriver.GetCapabilities", "").path("RequiresMACAddress").asBoolean()).isFalse();
    }

    @Test
    void createNetworkMapsDriverOptionsAndPoolsToWeftsNetwork() {
        NetworkRequest red = NetworkRequest.of(withWeftSpace(CapturedRequests.read("/NetworkDriver.CreateNetwork", 0,
                PluginApi.CreateNetwork.class)));
        assertThat(red.mirrorOf()).isEmpty();
        assertThat(red.encap()).isEqualTo(Encapsulation.GRE);
        assertThat(red.vni()).contains(77);
        assertThat(red.body("red")).isEqualTo(Map.of("name", "red", "encap", "gre", "vni", 77,
                "subnets", List.of(Map.of("cidr", "10.65.10.0/24", "gateway", "10.65.10.1"))));
    }

    @Test
    void severalSubnetsMakeOneRoutedNetwork() throws Exception {
        // The throwaway IPAM of the capture gave the second pool a gateway outside it: Weft refuses that...
        String captured = CapturedRequests.body("/NetworkDriver.CreateNetwork", 1);
        assertThat(answer("/NetworkDriver.CreateNetwork", captured).path("Err").asText())
                .isEqualTo("gateway 10.65.10.12 is outside subnet 10.65.20.0/24");
        // ...and maps the same request with gateways inside their pools, as Weft's IPAM gives them.
        String fixed = captured.replace("10.65.10.11/24", "10.65.10.1/24").replace("10.65.10.12/24", "10.65.20.1/24");
        NetworkRequest routed = NetworkRequest.of(withWeftSpace(WeftApi.JSON.readValue(fixed,
                PluginApi.CreateNetwork.class)));
        assertThat(routed.subnets()).hasSize(2);
        assertThat(routed.encap()).isEqualTo(Encapsulation.VXLAN);
        assertThat(routed.body("routed")).doesNotContainKeys("vni", "mtu");
    }

    @Test
    void aNetworkOnDockersOwnIpamIsRefusedWithTheFix() {
        // The third capture used no --ipam-driver: Docker's LocalDefault space, per-host addresses.
        String body = CapturedRequests.body("/NetworkDriver.CreateNetwork", 2);
        assertThat(answer("/NetworkDriver.CreateNetwork", body).path("Err").asText())
                .contains("--ipam-driver weft");
    }

    @Test
    void badOptionsAreRefusedInTheNetworkDriversErrorField() {
        String body = CapturedRequests.body("/NetworkDriver.CreateNetwork", 0)
                .replace("\"LocalDefault\"", "\"weft\"").replace("\"encap\":\"gre\"", "\"encap\":\"ipip\"");
        assertThat(answer("/NetworkDriver.CreateNetwork", body).path("Err").asText())
                .isEqualTo("encapsulation 'ipip' is not supported (use vxlan or gre)");
        String unknown = body.replace("\"encap\":\"ipip\"", "\"colour\":\"blue\"");
        assertThat(answer("/NetworkDriver.CreateNetwork", unknown).path("Err").asText())
                .startsWith("unknown option -o colour");
        String vni = body.replace("\"vni\":\"77\"", "\"vni\":\"16777216\"").replace("\"encap\":\"ipip\"",
                "\"encap\":\"vxlan\"");
        assertThat(answer("/NetworkDriver.CreateNetwork", vni).path("Err").asText())
                .startsWith("vni 16777216 is outside 1..16777215");
    }

    @Test
    void ipamRefusalsUseTheIpamErrorField() {
        assertThat(answer("/IpamDriver.RequestPool", "{\"AddressSpace\":\"weft\",\"Pool\":\"\",\"V6\":false}")
                .path("Error").asText()).contains("--subnet");
        assertThat(answer("/IpamDriver.RequestPool", "{\"AddressSpace\":\"weft\",\"Pool\":\"\",\"V6\":true}")
                .path("Error").asText()).contains("IPv4 only");
        // The captured PoolIDs came from the throwaway plugin: not Weft's.
        String foreign = CapturedRequests.body("/IpamDriver.RequestAddress", 2);
        assertThat(answer("/IpamDriver.RequestAddress", foreign).path("Error").asText())
                .contains("is not one of Weft's");
        assertThat(answer("/IpamDriver.Nonsense", "{}").path("Error").asText()).contains("does not implement");
    }

    @Test
    void aPoolOfANetworkBeingCreatedGetsATokenAndItsGatewayIsTheOneAsked() {
        String request = CapturedRequests.body("/IpamDriver.RequestPool", 0);
        JsonNode pool = answer("/IpamDriver.RequestPool", request);
        PoolId id = PoolId.parse(pool.path("PoolID").asText());
        assertThat(id.token()).isPresent();
        assertThat(pool.path("Pool").asText()).isEqualTo("10.65.10.0/24");
        String gateway = CapturedRequests.body("/IpamDriver.RequestAddress", 0)
                .replace("pool-10.65.10.0/24", id.toString());
        assertThat(answer("/IpamDriver.RequestAddress", gateway).path("Address").asText())
                .isEqualTo("10.65.10.1/24");
        // Without --gateway (the routed network's first pool): the first address, as Weft suggests.
        String first = CapturedRequests.body("/IpamDriver.RequestAddress", 1)
                .replace("pool-10.65.10.0/24", id.toString());
        assertThat(answer("/IpamDriver.RequestAddress", first).path("Address").asText())
                .isEqualTo("10.65.10.1/24");
    }

    @Test
    void aMirroredNetworksPoolNamesItsWeftNetwork() {
        JsonNode pool = answer("/IpamDriver.RequestPool",
                "{\"AddressSpace\":\"weft\",\"Pool\":\"10.65.10.0/24\",\"Options\":{\"weft.network\":\"red\"}}");
        assertThat(pool.path("PoolID").asText()).isEqualTo("weft:red:10.65.10.0/24");
        assertThat(PoolId.parse("weft:red:10.65.10.0/24"))
                .isEqualTo(PoolId.ofNetwork("red", Ipv4Cidr.parse("10.65.10.0/24")));
    }

    @Test
    void callsThatAreNotWeftsSucceedChangingNothing() {
        for (String path : List.of("/NetworkDriver.ProgramExternalConnectivity",
                "/NetworkDriver.RevokeExternalConnectivity", "/NetworkDriver.Leave")) {
            String body = CapturedRequests.body(path, 0);
            assertThat(answer(path, body).toString()).as(path).isEqualTo("{}");
        }
        assertThat(answer("/NetworkDriver.EndpointOperInfo", CapturedRequests.body("/NetworkDriver.EndpointOperInfo",
                0)).path("Value").isObject()).isTrue();
        assertThat(answer("/IpamDriver.ReleasePool", CapturedRequests.body("/IpamDriver.ReleasePool", 0))
                .toString()).isEqualTo("{}");
    }

    @Test
    void aJoinForAnEndpointTheAgentDidNotMakeIsRefused() {
        assertThat(answer("/NetworkDriver.Join", CapturedRequests.body("/NetworkDriver.Join", 0)).path("Err").asText())
                .contains("unknown to this agent");
    }

    @Test
    void poolBookKeepsTokensAcrossRestarts() throws Exception {
        PoolBook book = new PoolBook(state.resolve("book"));
        String token = book.issue(Ipv4Cidr.parse("10.1.0.0/24"));
        assertThat(book.claim(List.of(Ipv4Cidr.parse("10.1.0.0/24")))).containsExactly(token);
        book.resolve(List.of(token), "red");
        assertThat(new PoolBook(state.resolve("book")).network(token, Duration.ZERO)).isEqualTo("red");
        assertThat(Files.readString(state.resolve("book/pools.json"))).contains(token);
        book.forget("red");
        assertThatThrownBy(() -> new PoolBook(state.resolve("book")).network(token, Duration.ZERO))
                .isInstanceOf(PluginException.class);
    }

    /** The first two captured networks were made with --ipam-driver weft; the throwaway plugin named its space so. */
    private static PluginApi.CreateNetwork withWeftSpace(PluginApi.CreateNetwork r) {
        assertThat(r.ipv4Data()).allMatch(d -> d.addressSpace().equals(PluginApi.ADDRESS_SPACE));
        return r;
    }
}
