package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.controller.store.StoreState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 10's REST fuzz: requests broken at every layer (body bytes and JSON, framing and headers, content types and
 * codings, sizes, methods and paths), sent as raw bytes where an HTTP client would refuse. Every answer must be an
 * RFC 9457 problem with a 4xx status, the store must be exactly as before (revision and contents), and the server
 * must go on answering normally. Requests carry an admin token unless the fuzz takes it away, so that they reach the
 * handlers; every body is invalid by construction, so even framing Jetty accepts cannot change anything.
 */
class RestFuzzTest {

    private static final String TOKEN = TestServer.ADMIN_TOKEN;
    private static final String AUTH = "Authorization: Bearer " + TOKEN + "\r\n";
    /** Invalid in two fields each, so that changing one field never makes them valid. */
    private static final Map<String, String> INVALID_BODIES = Map.of(
            "/api/v1/hosts", "{\"name\":\"fz host\",\"tunnelIp\":\"192.168.1.300\",\"datapathType\":\"netdev\"}",
            "/api/v1/networks", "{\"name\":\"fz net\",\"subnets\":[{\"cidr\":\"10.9.0.0/33\",\"gateway\":"
                    + "\"10.9.0.1\"}],\"encap\":\"vxlan\"}",
            "/api/v1/networks/red/endpoints", "{\"name\":\"fz ep\",\"host\":\"h9\",\"port\":\"br-int\"}");
    private static final String HOST_BODY = INVALID_BODIES.get("/api/v1/hosts");

    private static TestServer bed;
    private static StoreState before;

    @BeforeContainer
    static void start() {
        bed = TestServer.secured().withFixture();
        before = bed.store.current();
    }

    @AfterContainer
    static void stop() {
        bed.close();
    }

    // ---- the properties

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void malformed_bodies_are_refused(@ForAll("bodyTargets") String path, @ForAll("malformedBodies") byte[] body) {
        refused(request("POST", path, "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n",
                body));
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void broken_framing_and_headers_are_refused(@ForAll("framings") byte[] request) {
        refused(request);
    }

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void unsupported_media_types_and_codings_are_refused(@ForAll("mediaHeaders") String headers) {
        byte[] body = RawHttp.ascii(HOST_BODY);
        refused(request("POST", "/api/v1/hosts", headers + "Content-Length: " + body.length + "\r\n", body));
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void oversized_requests_are_refused(@ForAll("oversized") byte[] request) {
        refused(request);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void odd_methods_and_paths_are_refused(@ForAll("methods") String method, @ForAll("paths") byte[] target) {
        refused(RawHttp.concat(RawHttp.ascii(method + " "), target,
                RawHttp.ascii(" HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n")));
    }

    private static byte[] request(String method, String path, String headers, byte[] body) {
        return RawHttp.concat(RawHttp.ascii(method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + AUTH + headers
                + "\r\n"), body);
    }

    private static void refused(byte[] request) {
        RawHttp.Reply r = RawHttp.exchange(bed.server.port(), request);
        String seen = r + " for " + preview(request);
        assertThat(r.status()).as(seen).isBetween(400, 499);
        assertThat(r.contentType()).as(seen).startsWith(Problem.CONTENT_TYPE);
        JsonNode p = r.json();
        assertThat(p.path("status").asInt()).as(seen).isEqualTo(r.status());
        assertThat(p.path("type").asText()).as(seen).startsWith("urn:weft:problem:");
        assertThat(p.path("detail").asText()).as(seen).isNotBlank();
        assertThat(bed.store.current()).as("the store after " + seen).isEqualTo(before);
        assertThat(bed.client.get("/api/v1/networks/red").statusCode()).as("a normal request after " + seen)
                .isEqualTo(200);
    }

    private static String preview(byte[] request) {
        String s = new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1);
        return s.replace("\r", "\\r").replace("\n", "\\n") + (request.length > 300 ? "... (" + request.length
                + " bytes)" : "");
    }

    // ---- bodies: random bytes, deep nesting, huge numbers, wrong types, duplicate keys, NUL, invalid UTF-8

    @Provide
    Arbitrary<String> bodyTargets() {
        return Arbitraries.of(INVALID_BODIES.keySet());
    }

    @Provide
    Arbitrary<byte[]> malformedBodies() {
        Arbitrary<String> base = Arbitraries.of(INVALID_BODIES.values());
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(3000),
                Arbitraries.integers().between(50, 200_000).map(n -> RawHttp.ascii("[".repeat(n))),
                Arbitraries.integers().between(50, 20_000).map(n -> RawHttp.ascii("{\"a\":".repeat(n) + "1"
                        + "}".repeat(n))),
                hugeNumbers().map(n -> RawHttp.ascii("{\"name\":\"fz net\",\"vni\":" + n + ",\"encap\":\"vxlan\","
                        + "\"subnets\":[]}")),
                Combinators.combine(base, jsonValues(), Arbitraries.integers().between(0, 4))
                        .as((b, v, i) -> RawHttp.ascii(replaceValue(b, i, v))),
                base.map(b -> RawHttp.ascii(b.replaceFirst("\\{\"name\":\"([^\"]*)\"",
                        "{\"name\":\"$1\",\"name\":\"fz\""))),
                Combinators.combine(base, Arbitraries.integers().between(0, 200), invalidBytes())
                        .as((b, at, bad) -> insert(RawHttp.ascii(b), at, bad)),
                Combinators.combine(base, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(50))
                        .as((b, junk) -> RawHttp.concat(RawHttp.ascii(b), junk)),
                Arbitraries.of("null", "true", "1", "\"x\"", "[]", "{}", "{\"name\":null}", " ", "\uFEFF{}")
                        .map(RawHttp::ascii));
    }

    private static Arbitrary<String> hugeNumbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(10, 20_000).map("9"::repeat),
                Arbitraries.integers().between(10, 20_000).map(n -> "-" + "9".repeat(n)),
                Arbitraries.of("1e999999999", "-1e-999999999", "1.5", "0x10", "NaN", "Infinity", "-0", "1E400",
                        "99999999999999999999.5", "01"));
    }

    private static Arbitrary<String> jsonValues() {
        return Arbitraries.of("123", "-1", "true", "false", "null", "[]", "{}", "1.5", "[1,2]", "{\"a\":1}",
                "\"\"", "\"\\u0000\"", "[[[[[[[[]]]]]]]]", "\"" + "x".repeat(5000) + "\"", "1e308");
    }

    /** {@code body} with the value of its {@code index}-th field (modulo their number) replaced by {@code value}. */
    private static String replaceValue(String body, int index, String value) {
        try {
            ObjectNode node = (ObjectNode) WeftClient.JSON.readTree(body);
            List<String> fields = new ArrayList<>();
            node.fieldNames().forEachRemaining(fields::add);
            node.set(fields.get(index % fields.size()), WeftClient.JSON.readTree(value));
            return node.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Arbitrary<byte[]> invalidBytes() {
        return Arbitraries.of(new byte[] {0}, new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xed,
                (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80,
                (byte) 0x80}, new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xe2,
                (byte) 0x82}, new byte[] {(byte) 0xfe, (byte) 0xff}, new byte[] {0x1b, '[', '2', 'J'});
    }

    private static byte[] insert(byte[] body, int at, byte[] bad) {
        int i = Math.min(at, body.length);
        return RawHttp.concat(Arrays.copyOfRange(body, 0, i), bad, Arrays.copyOfRange(body, i, body.length));
    }

    // ---- framing and headers: Content-Length, Transfer-Encoding, chunk sizes, header bytes

    @Provide
    Arbitrary<byte[]> framings() {
        byte[] body = RawHttp.ascii(HOST_BODY);
        Arbitrary<String> lengths = Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40),
                Arbitraries.of("-1", "+5", "0x10", " ", "", "1 2", "5,5", "abc", "1e3", "\u00ff", "0",
                        "99999999999999999999999999"));
        Arbitrary<String> codings = Arbitraries.oneOf(
                Arbitraries.of("chunked", "gzip", "chunked, gzip", "gzip, chunked", "identity", "Chunked",
                        "chunked, chunked", "compress", "deflate", ""),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(20).alpha());
        Arbitrary<String> chunkSizes = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefABCDEFxz-+ ;=\"\u00ff").ofMinLength(0).ofMaxLength(30),
                Arbitraries.of("0", "-1", "ffffffffffffffffffff", "1;ext", "1;a=\"b", "7fffffffffffffff", "10\u0000"));
        Arbitrary<byte[]> headerBytes = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200);
        return Arbitraries.oneOf(
                lengths.map(l -> request("POST", "/api/v1/hosts", "Content-Type: application/json\r\n"
                        + "Content-Length: " + l + "\r\n", body)),
                Combinators.combine(codings, Arbitraries.of(true, false)).as((te, withLength) -> request("POST",
                        "/api/v1/hosts", "Content-Type: application/json\r\nTransfer-Encoding: " + te + "\r\n"
                                + (withLength ? "Content-Length: " + body.length + "\r\n" : ""), body)),
                Combinators.combine(chunkSizes, chunkSizes, Arbitraries.of("", "0\r\n\r\n", "0\r\nX: y\r\n\r\n",
                        "0\r\n"))
                        .as((first, second, last) -> request("POST", "/api/v1/hosts",
                                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
                                RawHttp.ascii(first + "\r\n" + HOST_BODY.substring(0, 20) + "\r\n" + second
                                        + "\r\n" + HOST_BODY.substring(20) + "\r\n" + last))),
                Combinators.combine(headerBytes, headerBytes).as((name, value) -> RawHttp.concat(
                        RawHttp.ascii("POST /api/v1/hosts HTTP/1.1\r\nHost: x\r\n" + AUTH), name,
                        RawHttp.ascii(": "), value, RawHttp.ascii("\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + body.length + "\r\n\r\n"), body)),
                Arbitraries.integers().between(100, 3000).map(n -> request("POST", "/api/v1/hosts",
                        "X-A: b\r\n".repeat(n) + "Content-Type: application/json\r\nContent-Length: " + body.length
                                + "\r\n", body)),
                Arbitraries.of("Expect: 100-continue-please\r\n", "Host: y\r\n", "Authorization: Bearer\r\n",
                        "Authorization: Basic x\r\n", "Authorization: Bearer " + TOKEN + "x\r\n",
                        "X-HTTP-Method-Override: DELETE\r\n", "Content-Length: 3\r\n", "Connection: upgrade\r\n"
                                + "Upgrade: h2c\r\n", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")
                        .map(h -> request("POST", "/api/v1/hosts", h + "Content-Type: application/json\r\n"
                                + "Content-Length: " + body.length + "\r\n", body)));
    }

    // ---- media types and codings

    @Provide
    Arbitrary<String> mediaHeaders() {
        Arbitrary<String> types = Arbitraries.oneOf(
                Arbitraries.of("text/plain", "application/xml", "application/json; charset=utf-16",
                        "application/json;charset=\"latin1\"", "application/json; charset=", "text/json",
                        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*", ";",
                        "application/json", "application/problem+json", "application/json; charset=utf-8"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40).ascii().filter(s -> s.indexOf('\r') < 0
                        && s.indexOf('\n') < 0));
        Arbitrary<String> codings = Arbitraries.oneOf(
                Arbitraries.of("gzip", "br", "deflate", "zstd", "identity, gzip", "x-gzip", "compress", "*"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(20).alpha());
        return Combinators.combine(types, codings, Arbitraries.of(true, false))
                .as((type, coding, withCoding) -> "Content-Type: " + type + "\r\n"
                        + (withCoding ? "Content-Encoding: " + coding + "\r\n" : ""));
    }

    // ---- sizes: bodies, URIs and headers beyond the limits

    @Provide
    Arbitrary<byte[]> oversized() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between((int) RequestBody.MAX_BYTES + 1, (int) RequestBody.MAX_BYTES * 3 / 2)
                        .map(n -> {
                            byte[] body = RawHttp.ascii(" ".repeat(n - HOST_BODY.length()) + HOST_BODY);
                            return request("POST", "/api/v1/hosts", "Content-Type: application/json\r\n"
                                    + "Content-Length: " + body.length + "\r\n", body);
                        }),
                Arbitraries.integers().between(9_000, 60_000).map(n -> RawHttp.ascii("GET /api/v1/hosts/fz"
                        + "a".repeat(n) + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n")),
                Arbitraries.integers().between(9_000, 60_000).map(n -> request("GET", "/api/v1/hosts/fz",
                        "X-Big: " + "b".repeat(n) + "\r\n", new byte[0])));
    }

    // ---- methods and paths: nothing that can name a real resource (every path ends in a name that does not exist)

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.oneOf(
                Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "QUERY", "PROPFIND",
                        "get", "Post", "G\u0000T", "GET GET", "", "PRI", "M-SEARCH"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(12).withCharRange('A', 'Z'));
    }

    @Provide
    Arbitrary<byte[]> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("api", "v1", "hosts", "networks", "endpoints", "flows", "switches", "..", ".",
                        "%2e%2e", "%00", "%zz", "%ff", "%c0%af", "%2f", "", ";x=y", "~", "%", "a?b=%zz", "*"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(30).alpha().numeric());
        Arbitrary<String> tail = Arbitraries.strings().ofMinLength(0).ofMaxLength(20)
                .withChars("abcdefghijklmnopqrstuvwxyz0123456789-_%~!$&'()*+,;=:@").map(s -> "fz" + s);
        Arbitrary<String> query = Arbitraries.of("", "?wait=true", "?wait=%ff", "?wait=1s&timeout=2s", "?format=xml",
                "?%zz", "?a=" + "q".repeat(100), "#frag");
        return Combinators.combine(segment.list().ofMaxSize(6), tail, query, Arbitraries.of(true, false))
                .as((segments, last, q, prefixed) -> {
                    List<String> all = new ArrayList<>();
                    if (prefixed) {
                        all.addAll(List.of("api", "v1"));
                    }
                    all.addAll(segments);
                    all.add(last);
                    return RawHttp.ascii("/" + String.join("/", all) + q);
                });
    }
}
