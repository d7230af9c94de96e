package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad request of issue 5: the right status, an RFC 9457 problem that says what to fix, and nothing changed. */
class BadRequestTest {

    private static ApiClient api;

    @BeforeAll
    static void start() {
        api = new ApiClient().withFixture();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static final String HOSTS = "/api/v1/hosts";
    private static final String NETS = "/api/v1/networks";
    private static final String EPS = "/api/v1/networks/red/endpoints";

    private static String net(String name, String cidr, String gw, String extra) {
        return "{\"name\":\"" + name + "\",\"subnets\":[{\"cidr\":\"" + cidr + "\",\"gateway\":\"" + gw
                + "\"}],\"encap\":\"vxlan\"" + extra + "}";
    }

    private static String ep(String name, String host, String port, String extra) {
        return "{\"name\":\"" + name + "\",\"host\":\"" + host + "\",\"port\":\"" + port + "\"" + extra + "}";
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // malformed and mistyped bodies
                Arguments.of("POST", HOSTS, "{\"name\":\"h3\",", 400, "not valid JSON"),
                Arguments.of("POST", HOSTS, "not json at all", 400, "not valid JSON"),
                Arguments.of("POST", HOSTS, "", 400, "body is empty"),
                Arguments.of("POST", HOSTS, "[1,2]", 400, "must be a JSON object"),
                Arguments.of("POST", HOSTS, "{\"name\":\"h3\",\"tunnelIp\":\"192.168.1.3\",\"datapathType\":\"netdev\","
                        + "\"colour\":\"blue\"}", 400, "unknown field 'colour'"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0/24", "10.1.0.1", ",\"vni\":\"7\""), 400,
                        "field 'vni' has the wrong type"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0/24", "10.1.0.1", ",\"vni\":7.5"), 400,
                        "field 'vni' has the wrong type"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0/24", "10.1.0.1", ",\"vni\":99999999999"), 400,
                        "field 'vni' is out of range"),
                Arguments.of("POST", HOSTS, "{\"name\":\"h3\",\"name\":\"h4\",\"tunnelIp\":\"192.168.1.3\","
                        + "\"datapathType\":\"netdev\"}", 400, "Duplicate field 'name'"),
                Arguments.of("POST", HOSTS, "{\"name\":7,\"tunnelIp\":\"192.168.1.3\",\"datapathType\":\"netdev\"}",
                        400, "field 'name' has the wrong type"),
                Arguments.of("POST", NETS, "{\"name\":\"blue\",\"subnets\":[{\"cidr\":\"10.1.0.0/24\",\"gw\":\"x\"}],"
                        + "\"encap\":\"vxlan\"}", 400, "unknown field 'subnets[0].gw'"),
                Arguments.of("POST", NETS, "{\"name\":\"blue\",\"subnets\":{},\"encap\":\"vxlan\"}", 400,
                        "field 'subnets' has the wrong type"),
                // invalid values
                Arguments.of("POST", HOSTS, "{\"name\":\"h3\",\"tunnelIp\":\"192.168.1.300\",\"datapathType\":"
                        + "\"netdev\"}", 400, "not an IPv4 address"),
                Arguments.of("POST", HOSTS, "{\"name\":\"h3\",\"tunnelIp\":\"192.168.1.3\",\"datapathType\":\"kernel\"}",
                        400, "use system or netdev"),
                Arguments.of("POST", HOSTS, "{\"name\":\"bad name\",\"tunnelIp\":\"192.168.1.3\",\"datapathType\":"
                        + "\"netdev\"}", 400, "host name 'bad name' is invalid"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0/33", "10.1.0.1", ""), 400, "prefix length 33"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0", "10.1.0.1", ""), 400, "not a CIDR"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.7/24", "10.1.0.1", ""), 400, "did you mean 10.1.0.0/24"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0/24", "10.2.0.1", ""), 400,
                        "gateway 10.2.0.1 is outside subnet 10.1.0.0/24"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0/24", "10.1.0.1", ",\"vni\":16777216"), 400,
                        "vni 16777216 is outside 1..16777215"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0/24", "10.1.0.1", ",\"vni\":0"), 400, "vni 0"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0/24", "10.1.0.1", ",\"mtu\":1500"), 400,
                        "use at most 1450"),
                Arguments.of("POST", NETS, "{\"name\":\"blue\",\"subnets\":[{\"cidr\":\"10.1.0.0/24\",\"gateway\":"
                        + "\"10.1.0.1\"}],\"encap\":\"geneve\"}", 400, "use vxlan or gre"),
                Arguments.of("POST", EPS, ep("c2", "h1", "veth-c2", ",\"ip\":\"10.9.0.5\""), 400,
                        "outside every subnet of network red"),
                Arguments.of("POST", EPS, ep("c2", "h1", "veth-c2", ",\"ip\":\"10.0.0.1\""), 400, "is the gateway"),
                Arguments.of("POST", EPS, ep("c2", "h1", "veth-c2", ",\"ip\":\"10.0.0.0\""), 400, "network or broadcast"),
                Arguments.of("POST", EPS, ep("c2", "h1", "veth-c2", ",\"ip\":\"10.0.0\""), 400, "not an IPv4 address"),
                Arguments.of("POST", EPS, ep("c2", "h1", "veth-c2", ",\"mac\":\"02:42:0a:00:00\""), 400,
                        "not a MAC address"),
                Arguments.of("POST", EPS, ep("c2", "h1", "veth-c2", ",\"mac\":\"01:00:5e:00:00:01\""), 400, "multicast"),
                Arguments.of("POST", EPS, ep("c2", "h1", "a-far-too-long-port", ""), 400, "not an interface name"),
                Arguments.of("POST", EPS, "{\"name\":\"c2\",\"port\":\"veth-c2\"}", 400, "host is missing"),
                Arguments.of("POST", EPS + "?wait=perhaps", ep("c2", "h1", "veth-c2", ""), 400, "wait='perhaps'"),
                Arguments.of("POST", EPS + "?wait=true&timeout=soon", ep("c2", "h1", "veth-c2", ""), 400,
                        "timeout='soon'"),
                Arguments.of("GET", HOSTS + "/h1/flows?format=xml", null, 400, "format='xml'"),
                // unknown things
                Arguments.of("POST", "/api/v1/networks/blue/endpoints", ep("c2", "h1", "veth-c2", ""), 404,
                        "network blue does not exist"),
                Arguments.of("POST", EPS, ep("c2", "h9", "veth-c2", ""), 404, "host h9 does not exist"),
                Arguments.of("GET", HOSTS + "/h9", null, 404, "host h9 does not exist"),
                Arguments.of("GET", NETS + "/blue", null, 404, "network blue does not exist"),
                Arguments.of("GET", EPS + "/c9", null, 404, "endpoint c9 does not exist"),
                Arguments.of("DELETE", EPS + "/c9", null, 404, "endpoint c9 does not exist"),
                Arguments.of("DELETE", NETS + "/blue", null, 404, "network blue does not exist"),
                Arguments.of("DELETE", HOSTS + "/h9", null, 404, "host h9 does not exist"),
                Arguments.of("GET", HOSTS + "/h9/flows", null, 404, "host h9 does not exist"),
                Arguments.of("GET", "/api/v1/nothing", null, 404, "no such resource"),
                Arguments.of("GET", "/api/v2/hosts", null, 404, "no such resource"),
                Arguments.of("PUT", HOSTS + "/h1", "{}", 405, "PUT is not supported"),
                Arguments.of("PATCH", NETS, "{}", 405, "use POST, GET"),
                // conflicts
                Arguments.of("POST", HOSTS, "{\"name\":\"h1\",\"tunnelIp\":\"192.168.1.9\",\"datapathType\":\"netdev\"}",
                        409, "host h1 already exists"),
                Arguments.of("POST", HOSTS, "{\"name\":\"h3\",\"tunnelIp\":\"192.168.1.1\",\"datapathType\":\"netdev\"}",
                        409, "already belongs to host h1"),
                Arguments.of("POST", NETS, net("red", "10.1.0.0/24", "10.1.0.1", ""), 409, "network red already exists"),
                Arguments.of("POST", NETS, net("blue", "10.1.0.0/24", "10.1.0.1", ",\"vni\":100"), 409,
                        "vni 100 is taken by network red"),
                Arguments.of("POST", EPS, ep("c1", "h2", "veth-x", ""), 409, "endpoint c1 already exists"),
                Arguments.of("POST", EPS, ep("c2", "h2", "veth-c2", ",\"ip\":\"10.0.0.5\""), 409,
                        "ip 10.0.0.5 is taken by endpoint c1"),
                Arguments.of("POST", EPS, ep("c2", "h1", "veth-c1", ""), 409, "port veth-c1 on host h1"),
                Arguments.of("DELETE", NETS + "/red", null, 409, "network red still has 1 endpoint(s)"),
                Arguments.of("DELETE", HOSTS + "/h1", null, 409, "host h1 still holds 1 endpoint(s)"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("badRequests")
    void is_refused_with_a_problem_and_changes_nothing(String method, String path, String body, int status,
                                                        String detail) {
        long revision = api.store.current().revision();
        HttpResponse<String> r = api.send(method, path, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        JsonNode p = ApiClient.json(r);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("type").asText()).startsWith("urn:weft:problem:");
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("instance").asText()).isEqualTo(path.replaceAll("\\?.*", ""));
        assertThat(p.path("detail").asText()).contains(detail);
        assertThat(api.store.current().revision()).as("a refused request changes nothing").isEqualTo(revision);
        if (status == 405) {
            assertThat(r.headers().firstValue("Allow")).isPresent();
        }
    }
}
