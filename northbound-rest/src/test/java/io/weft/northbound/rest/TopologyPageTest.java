package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The page and its files are open on a server that asks for tokens; the API behind them is not. */
class TopologyPageTest {

    @Test
    void thePageAndItsFilesNeedNoToken() {
        try (TestServer bed = TestServer.secured().withFixture()) {
            HttpResponse<String> page = bed.anonymous.get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
            assertThat(page.body()).contains("<title>Weft topology</title>").contains("/ui/app.js");
            HttpResponse<String> script = bed.anonymous.get("/ui/app.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).get().asString().contains("javascript");
            assertThat(script.body()).contains("/api/v1/events");
            assertThat(bed.anonymous.get("/ui/app.css").statusCode()).isEqualTo(200);
            assertThat(bed.anonymous.get("/ui/nothing.js").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theApiStaysClosedAlsoThroughThePagesPaths() {
        try (TestServer bed = TestServer.secured().withFixture()) {
            assertThat(bed.anonymous.get("/api/v1/hosts").statusCode()).isEqualTo(401);
            for (String sneaky : new String[] {"/ui/../api/v1/hosts", "/ui/%2e%2e/api/v1/hosts",
                    "/ui/..%2fapi/v1/hosts", "/ui/%2e%2e%2fapi%2fv1%2fhosts", "//api/v1/hosts"}) {
                RawHttp.Reply r = RawHttp.exchange(bed.server.port(), RawHttp.ascii("GET " + sneaky
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
                assertThat(r.text()).as(sneaky).doesNotContain("192.168.1.1");
                assertThat(r.status()).as(sneaky).isNotEqualTo(200);
            }
        }
    }
}
