package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.intent.IntentService;
import io.weft.controller.metrics.ControllerMetrics;
import io.weft.controller.store.InMemoryStore;
import io.weft.ovsdb.SslConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's posture for the REST API: bearer tokens with read and admin scopes, HTTPS with the controller's PEM
 * certificate, and no plain, open API beyond loopback unless the operator insists.
 */
class RestSecurityTest {

    private static final String ADMIN = TestServer.ADMIN_TOKEN;
    private static final String HOST_H3 = "{\"name\":\"h3\",\"tunnelIp\":\"192.168.1.3\",\"datapathType\":\"netdev\"}";

    @TempDir
    Path dir;

    /** The test tokens, read from a file as the controller reads them. */
    private BearerTokens tokens() throws IOException {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# token scope name\n" + ADMIN + " admin orchestrator\n\n" + TestServer.READ_TOKEN
                + "  read dashboard\n");
        return BearerTokens.load(file);
    }

    private static void assertProblem(HttpResponse<String> r, int status, String detail) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith(Problem.CONTENT_TYPE);
        JsonNode p = WeftClient.json(r);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("detail").asText()).contains(detail);
    }

    @Test
    void every_request_but_health_needs_a_token_and_writes_need_an_admin_one() throws IOException {
        BearerTokens tokens = tokens();
        try (TestServer bed = new TestServer(c -> c.withTokens(tokens)).withFixture()) {
            WeftClient anonymous = bed.anonymous;
            WeftClient admin = bed.client;
            WeftClient reader = bed.reader;
            long revision = bed.store.current().revision();

            HttpResponse<String> none = anonymous.get("/api/v1/hosts");
            assertProblem(none, 401, "Authorization: Bearer TOKEN");
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"weft\"");
            assertProblem(anonymous.post("/api/v1/hosts", HOST_H3), 401, "Bearer");
            assertProblem(anonymous.get("/api/v1/no-such-thing"), 401, "Bearer");
            assertProblem(anonymous.get("/api/v1/health"), 401, "Bearer");

            HttpResponse<String> wrong = anonymous.withToken("not-" + ADMIN).get("/api/v1/hosts");
            assertProblem(wrong, 401, "not one of the controller's");
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).get().asString()
                    .contains("error=\"invalid_token\"");
            HttpResponse<String> basic = send(bed, "GET", "/api/v1/hosts", "Authorization", "Basic YWRtaW46YWRtaW4=");
            assertProblem(basic, 401, "Bearer TOKEN");

            assertThat(reader.get("/api/v1/hosts").statusCode()).isEqualTo(200);
            assertThat(reader.get("/api/v1/networks/red/endpoints/c1").statusCode()).isEqualTo(200);
            HttpResponse<String> readOnly = reader.post("/api/v1/hosts", HOST_H3);
            assertProblem(readOnly, 403, "dashboard is read-only: POST needs an admin token");
            assertThat(readOnly.headers().firstValue("WWW-Authenticate")).get().asString()
                    .contains("insufficient_scope");
            assertProblem(reader.delete("/api/v1/networks/red/endpoints/c1"), 403, "read-only");
            assertProblem(send(bed, "GET", "/api/v1/networks/red/endpoints/c1",
                    "Authorization", "Bearer " + TestServer.READ_TOKEN,
                    "X-HTTP-Method-Override", "DELETE"), 400, "X-HTTP-Method-Override is not supported");
            assertThat(bed.store.current().revision()).as("nothing refused changed anything").isEqualTo(revision);

            assertThat(anonymous.get("/health").statusCode()).as("liveness probes need no token").isEqualTo(200);
            assertThat(admin.created("/api/v1/hosts", HOST_H3).path("name").asText()).isEqualTo("h3");
            assertThat(admin.delete("/api/v1/hosts/h3").statusCode()).isEqualTo(204);
        }
    }

    /** A request with headers of the test's choosing (WeftClient sends only proper ones). */
    private static HttpResponse<String> send(TestServer bed, String method, String path, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bed.client.root() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).headers(headers);
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_token_file_with_a_mistake_is_refused_naming_the_line() {
        assertThatThrownBy(() -> BearerTokens.parse(List.of("# c", ADMIN + " root someone"), "f"))
                .hasMessageContaining("f line 2: scope 'root' is unknown");
        assertThatThrownBy(() -> BearerTokens.parse(List.of("short admin someone"), "f"))
                .hasMessageContaining("f line 1: the token is not at least 16 characters");
        assertThatThrownBy(() -> BearerTokens.parse(List.of(ADMIN + " admin"), "f"))
                .hasMessageContaining("expected TOKEN SCOPE NAME");
        assertThatThrownBy(() -> BearerTokens.parse(List.of(ADMIN + " admin a", ADMIN + " read b"), "f"))
                .hasMessageContaining("f line 2: this token is already listed");
        assertThatThrownBy(() -> BearerTokens.parse(List.of(ADMIN + " admin bad/name"), "f"))
                .hasMessageContaining("f line 1: token holder name 'bad/name' is invalid");
        assertThatThrownBy(() -> BearerTokens.parse(List.of("# nothing"), "f")).hasMessageContaining("holds no token");
        assertThatThrownBy(() -> BearerTokens.load(dir.resolve("missing"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read the REST token file");
    }

    @Test
    void serves_https_with_an_openssl_certificate_and_key() {
        Certificates.selfSigned(dir, "rsa:2048");
        assertHttpsWorks(new SslConfig(dir.resolve("key.pem"), dir.resolve("cert.pem"), dir.resolve("cert.pem")));
    }

    @Test
    void serves_https_with_an_elliptic_curve_key() {
        Certificates.selfSigned(dir, "ec");
        assertHttpsWorks(new SslConfig(dir.resolve("key.pem"), dir.resolve("cert.pem"), dir.resolve("cert.pem")));
    }

    static void assertHttpsWorks(SslConfig files) {
        try (TestServer bed = new TestServer(c -> c.withTls(files))) {
            WeftClient https = bed.client.overHttps(Certificates.trusting(files.certificate()));
            assertThat(https.get("/api/v1/hosts").statusCode()).isEqualTo(200);
            https.created("/api/v1/hosts", HOST_H3);
            assertProblem(https.post("/api/v1/hosts", "{"), 400, "not valid JSON");

            WeftClient untrusting = bed.client.overHttps(defaultContext());
            assertThatThrownBy(() -> untrusting.get("/api/v1/hosts")).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> bed.client.get("/api/v1/hosts")).as("plain HTTP to the HTTPS port")
                    .isInstanceOf(UncheckedIOException.class);
        }
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_key_https_cannot_use_is_refused_saying_how_to_convert_it() {
        Certificates.selfSigned(dir, "rsa:2048");
        Certificates.run(dir, List.of("openssl", "rsa", "-in", "key.pem", "-traditional", "-out", "rsa.pem"));
        SslConfig pkcs1 = new SslConfig(dir.resolve("rsa.pem"), dir.resolve("cert.pem"), dir.resolve("cert.pem"));
        assertThatThrownBy(() -> new TestServer(c -> c.withTls(pkcs1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rsa.pem").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void https_needs_the_controllers_certificate() {
        assertThatThrownBy(() -> RestConfig.parse("https://127.0.0.1:0"))
                .hasMessageContaining("needs the controller's certificate: give --tls-cert, --tls-key and --tls-ca");
        assertThat(RestConfig.Listen.parse("https://[::1]:8443")).isEqualTo(new RestConfig.Listen(true, "::1", 8443));
        assertThat(RestConfig.Listen.parse("http://0.0.0.0:80")).isEqualTo(new RestConfig.Listen(false, "0.0.0.0", 80));
        assertThatThrownBy(() -> RestConfig.Listen.parse("ftp://0.0.0.0:80")).hasMessageContaining("is invalid");
    }

    @Test
    void beyond_loopback_it_refuses_to_start_without_https_and_tokens_unless_insecure() throws IOException {
        RestConfig open = RestConfig.parse("0.0.0.0:0");
        assertThatThrownBy(() -> start(open)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to serve the REST API on http://0.0.0.0:0, beyond loopback, without "
                        + "HTTPS").hasMessageContaining("without bearer tokens (--rest-tokens FILE)")
                .hasMessageContaining("--insecure");
        BearerTokens tokens = tokens();
        assertThatThrownBy(() -> start(open.withTokens(tokens))).hasMessageContaining("without HTTPS")
                .message().doesNotContain("tokens");
        Certificates.selfSigned(dir, "rsa:2048");
        SslConfig tls = new SslConfig(dir.resolve("key.pem"), dir.resolve("cert.pem"), dir.resolve("cert.pem"));
        assertThatThrownBy(() -> start(open.withTls(tls))).hasMessageContaining("without bearer tokens")
                .message().doesNotContain("HTTPS");

        start(open.withTls(tls).withTokens(tokens)).close();
        start(open.withInsecure(true)).close();
        start(RestConfig.parse("127.0.0.1:0")).close();
    }

    private static RestServer start(RestConfig config) {
        InMemoryStore store = new InMemoryStore();
        return new RestServer(new IntentService(store), new FakeControllerView(store), new ControllerMetrics(),
                TestServer.SOLE, config)
                .start();
    }
}
