package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.store.StoreState;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad request of issues 5 and 10: the right status, an RFC 9457 problem that says what to fix, and nothing
 * changed; also for requests broken below JSON (framing, headers, encodings, sizes), which Jetty itself refuses.
 */
class BadRequestTest {

    private static TestServer bed;

    @BeforeAll
    static void start() {
        bed = new TestServer().withFixture();
    }

    @AfterAll
    static void stop() {
        bed.close();
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
                // ports: what Linux cannot call an interface, and Weft's own ports
                Arguments.of("POST", EPS, ep("c2", "h1", "sixteen-bytes-xx", ""), 400, "Linux allows 15"),
                Arguments.of("POST", EPS, ep("c2", "h1", "..", ""), 400, "'..' is not an interface name"),
                Arguments.of("POST", EPS, ep("c2", "h1", "$(id);x", ""), 400, "'$(id);x' is not an interface name"),
                Arguments.of("POST", EPS, ep("c2", "h1", "a\\nb", ""), 400, "'a\\u000ab' is not an interface name"),
                Arguments.of("POST", EPS, ep("c2", "h1", "a/b", ""), 400, "not an interface name"),
                Arguments.of("POST", EPS, ep("c2", "h1", "br-int", ""), 400, "'br-int' belongs to Weft"),
                Arguments.of("POST", EPS, ep("c2", "h1", "vxlan-h2", ""), 400, "'vxlan-h2' belongs to Weft"),
                Arguments.of("POST", EPS, ep("c2", "h1", "gre-h9", ""), 400, "'gre-h9' belongs to Weft"),
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
        long revision = bed.store.current().revision();
        HttpResponse<String> r = bed.client.send(method, path, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        JsonNode p = WeftClient.json(r);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("type").asText()).startsWith("urn:weft:problem:");
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("instance").asText()).isEqualTo(path.replaceAll("\\?.*", ""));
        assertThat(p.path("detail").asText()).contains(detail);
        assertThat(bed.store.current().revision()).as("a refused request changes nothing").isEqualTo(revision);
        if (status == 405) {
            assertThat(r.headers().firstValue("Allow")).isPresent();
        }
    }

    private static final String HOST_BODY = "{\"name\":\"h3\",\"tunnelIp\":\"192.168.1.3\",\"datapathType\":"
            + "\"netdev\"}";

    private static byte[] post(String headers, byte[] body) {
        return RawHttp.concat(RawHttp.ascii("POST " + HOSTS + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n"), body);
    }

    private static byte[] json(String extraHeaders, String body) {
        byte[] bytes = RawHttp.ascii(body);
        return post("Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n" + extraHeaders, bytes);
    }

    private static byte[] chunked(String chunks) {
        return post("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", RawHttp.ascii(chunks));
    }

    static Stream<Arguments> malformedHttp() {
        String big = "x".repeat(20_000);
        String oneChunk = Integer.toHexString(HOST_BODY.length()) + "\r\n" + HOST_BODY + "\r\n0\r\n\r\n";
        byte[] badUtf8 = RawHttp.concat(RawHttp.ascii("{\"name\":\"h"), new byte[] {(byte) 0xc3, 0x28},
                RawHttp.ascii("3\"}"));
        int max = (int) RequestBody.MAX_BYTES;
        String overMax = Integer.toHexString(max) + "\r\n" + " ".repeat(max) + "\r\n10\r\n" + " ".repeat(16)
                + "\r\n0\r\n\r\n";
        return Stream.of(
                Arguments.of("garbage request line", RawHttp.ascii("GARBAGE\r\n\r\n"), 400, "not valid HTTP/1.1"),
                Arguments.of("binary request", new byte[] {0, 1, 2, '\r', '\n', '\r', '\n'}, 400, "Illegal character"),
                Arguments.of("no Host", RawHttp.ascii("GET /health HTTP/1.1\r\n\r\n"), 400, "No Host"),
                Arguments.of("header without colon", json("Bad Header\r\n", HOST_BODY), 400, "not valid HTTP/1.1"),
                Arguments.of("NUL in a header", json("X-A: a\u0000b\r\n", HOST_BODY), 400, "Illegal character"),
                Arguments.of("folded header", json("X-A: a\r\n b\r\n", HOST_BODY), 400, "Folding"),
                Arguments.of("20 KB header", json("X-A: " + big + "\r\n", HOST_BODY), 431, "headers are too large"),
                Arguments.of("20 KB URI", RawHttp.ascii("GET /" + big + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
                        "URI is too long"),
                Arguments.of("absurd Content-Length", post("Content-Type: application/json\r\nContent-Length: "
                        + "99999999999999999999999\r\n", RawHttp.ascii(HOST_BODY)), 400, "not valid HTTP/1.1"),
                Arguments.of("negative Content-Length", post("Content-Type: application/json\r\nContent-Length: -1"
                        + "\r\n", RawHttp.ascii(HOST_BODY)), 400, "Content-Length"),
                Arguments.of("two Content-Lengths", json("Content-Length: 3\r\n", HOST_BODY), 400,
                        "Multiple Content-Lengths"),
                Arguments.of("Content-Length beyond the body", post("Content-Type: application/json\r\n"
                        + "Content-Length: 500\r\n", RawHttp.ascii(HOST_BODY)), 400, "Early EOF"),
                Arguments.of("Transfer-Encoding and Content-Length", json("Transfer-Encoding: chunked\r\n",
                        HOST_BODY), 400, "Transfer-Encoding and Content-Length"),
                Arguments.of("Transfer-Encoding gzip", post("Content-Type: application/json\r\nTransfer-Encoding: "
                        + "gzip\r\n", RawHttp.ascii(HOST_BODY)), 400, "Transfer-Encoding"),
                Arguments.of("bad chunk size", chunked("zz\r\n" + HOST_BODY + "\r\n0\r\n\r\n"), 400,
                        "not valid HTTP/1.1"),
                Arguments.of("chunk larger than sent", chunked("ffffff\r\n" + HOST_BODY + "\r\n0\r\n\r\n"), 400,
                        "not valid HTTP/1.1"),
                Arguments.of("chunk size overflowing", chunked("fffffffffffffffffffff\r\n" + HOST_BODY), 400,
                        "not valid HTTP/1.1"),
                Arguments.of("declared body over the limit", post("Content-Type: application/json\r\nContent-Length: "
                        + "5000000\r\n", RawHttp.ascii(HOST_BODY)), 413, "exceeds " + RequestBody.MAX_BYTES + " bytes"),
                Arguments.of("chunked body over the limit", chunked(overMax), 413, "exceeds " + RequestBody.MAX_BYTES + " bytes"),
                Arguments.of("gzip content coding", json("Content-Encoding: gzip\r\n", HOST_BODY), 415,
                        "Content-Encoding 'gzip' is not supported"),
                Arguments.of("text/plain", post("Content-Type: text/plain\r\nContent-Length: "
                        + HOST_BODY.length() + "\r\n", RawHttp.ascii(HOST_BODY)), 415, "'text/plain' is not supported"),
                Arguments.of("latin-1 JSON", post("Content-Type: application/json; charset=iso-8859-1\r\n"
                        + "Content-Length: " + HOST_BODY.length() + "\r\n", RawHttp.ascii(HOST_BODY)), 415,
                        "JSON is UTF-8"),
                Arguments.of("Content-Type of parameters only", post("Content-Type: ;\r\nContent-Length: "
                        + HOST_BODY.length() + "\r\n", RawHttp.ascii(HOST_BODY)), 415, "';' is not supported"),
                Arguments.of("no Content-Type", post("Content-Length: " + HOST_BODY.length() + "\r\n",
                        RawHttp.ascii(HOST_BODY)), 415, "Content-Type is missing"),
                Arguments.of("chunked, no Content-Type", post("Transfer-Encoding: chunked\r\n",
                        RawHttp.ascii(oneChunk)), 415, "Content-Type is missing"),
                Arguments.of("invalid UTF-8", post("Content-Type: application/json\r\nContent-Length: "
                        + badUtf8.length + "\r\n", badUtf8), 400, "not valid UTF-8"),
                Arguments.of("bad percent-encoding", RawHttp.ascii("GET /api/v1/hosts/%zz HTTP/1.1\r\nHost: x\r\n"
                        + "\r\n"), 400, "not valid HTTP/1.1"),
                Arguments.of("percent-encoded invalid UTF-8", RawHttp.ascii("GET /api/v1/hosts/%ff HTTP/1.1\r\n"
                        + "Host: x\r\n\r\n"), 400, "UTF-8"),
                Arguments.of("raw byte 0xff in the path", RawHttp.concat(RawHttp.ascii("GET /api/v1/h"),
                        new byte[] {(byte) 0xff}, RawHttp.ascii(" HTTP/1.1\r\nHost: x\r\n\r\n")), 400,
                        "Illegal Path Character"),
                Arguments.of("method override", RawHttp.ascii("GET /api/v1/hosts HTTP/1.1\r\nHost: x\r\n"
                        + "X-HTTP-Method-Override: DELETE\r\n\r\n"), 400, "X-HTTP-Method-Override"),
                Arguments.of("CONNECT", RawHttp.ascii("CONNECT example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n"), 400,
                        "not valid HTTP/1.1"),
                Arguments.of("HTTP/9.9", RawHttp.ascii("GET /health HTTP/9.9\r\nHost: x\r\n\r\n"), 505,
                        "use HTTP/1.1"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformedHttp")
    void malformed_http_is_refused_with_a_problem_and_changes_nothing(String what, byte[] request, int status,
                                                                       String detail) {
        StoreState before = bed.store.current();
        RawHttp.Reply r = RawHttp.exchange(bed.server.port(), request);

        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("type").asText()).startsWith("urn:weft:problem:");
        assertThat(p.path("detail").asText()).contains(detail);
        assertThat(bed.store.current()).as("a refused request changes nothing").isEqualTo(before);
    }
}
