package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller, started as an operator would, refuses a plain and open REST API beyond loopback, saying why. */
class RestExposureIT {

    @TempDir
    Path dir;

    @Test
    void a_rest_api_beyond_loopback_without_https_and_tokens_does_not_start() throws Exception {
        try (WeftProcess weft = new WeftProcess(dir.resolve("weft"))) {
            String out = weft.refusedStart("0.0.0.0:" + weft.restPort());
            assertThat(out).contains("weft: northbound rest failed to start: refusing to serve the REST API on "
                    + "http://0.0.0.0:" + weft.restPort() + ", beyond loopback, without HTTPS")
                    .contains("without bearer tokens (--rest-tokens FILE)", "pass --insecure")
                    .as("one line, no stack trace").doesNotContain("\tat ");
            assertThat(weft.client().healthy()).as("nothing listens").isFalse();
        }
    }

    @Test
    void https_without_the_controllers_certificate_does_not_start() throws Exception {
        try (WeftProcess weft = new WeftProcess(dir.resolve("weft"))) {
            assertThat(weft.refusedStart("https://127.0.0.1:" + weft.restPort()))
                    .contains("needs the controller's certificate: give --tls-cert, --tls-key and --tls-ca");
        }
    }
}
