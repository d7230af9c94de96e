package io.weft.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.controller.intent.HostSpec;
import io.weft.controller.intent.IntentService;
import io.weft.controller.reconcile.HostConnectionException;
import io.weft.model.DatapathType;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 1: a host registered with the README's {@code "openflow":"ptcp:6653"} is connected like any other
 * (it used to throw from deep inside the store listener, stopping every later pass and every restart), and a host
 * whose target needs what the controller lacks is reported with a clear error before anything is opened.
 */
class HostTargetsRuntimeTest {

    private static ControllerSettings settings(Path dir) {
        return new ControllerSettings("127.0.0.1:0", List.of("tcp:127.0.0.1:0"), "tcp:127.0.0.1:6653",
                Optional.empty(), dir, 1500, Optional.empty());
    }

    @Test
    void aHostWithTheDocumentedPassiveOpenflowTargetIsConnectedAndSurvivesARestart(@TempDir Path dir) {
        try (WeftRuntime weft = WeftRuntime.start(settings(dir))) {
            // Nothing listens at these loopback ports: the host stays unreachable, which is not an error.
            new IntentService(weft.store()).createHost(new HostSpec("h1", "127.0.0.11", "tcp:127.0.0.1:1", "netdev",
                    "ptcp:6653"));
            new IntentService(weft.store()).createHost(new HostSpec("h2", "127.0.0.12", "tcp:127.0.0.1:2", "netdev",
                    null));
            await().atMost(Duration.ofSeconds(10)).until(() -> weft.view().status("h1").isPresent()
                    && weft.view().status("h2").isPresent());
        }
        try (WeftRuntime again = WeftRuntime.start(settings(dir))) {
            assertThat(again.view().status("h1")).isPresent();
        }
    }

    @Test
    void aStoredTlsTargetWithoutCertificateIsAClearConnectionError(@TempDir Path dir) {
        try (WeftRuntime weft = WeftRuntime.start(settings(dir))) {
            Host stored = new Host("h3", Ipv4Address.parse("127.0.0.13"), DatapathType.NETDEV,
                    Optional.of("ssl:127.0.0.1:3"), Optional.empty());
            assertThatThrownBy(() -> weft.connectHost(stored, () -> { }))
                    .isInstanceOf(HostConnectionException.class)
                    .hasMessageContaining("host h3").hasMessageContaining("ssl:127.0.0.1:3 needs TLS")
                    .hasMessageContaining("--tls-cert");
        }
    }
}
