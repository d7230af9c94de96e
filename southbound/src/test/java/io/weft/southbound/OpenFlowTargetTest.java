package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the server and connector refuse before touching a socket (parsing itself: ConnectionTargetTest in model). */
class OpenFlowTargetTest {

    @Test
    void sslWithoutAContextIsRefusedBeforeBinding() {
        OpenFlowServer server = new OpenFlowServer(new RecordingListener(), ChannelConfig.defaults());
        assertThatThrownBy(() -> server.start(List.of("ssl:127.0.0.1:0")))
                .hasMessageContaining("needs TLS").hasMessageContaining("--tls-cert");
        server.stop();
    }

    @Test
    void theConnectorDialsOnlyActiveTargetsWithRealPorts() {
        try (OpenFlowConnector connector = new OpenFlowConnector(new RecordingListener(), ChannelConfig.defaults(),
                Duration.ofMillis(100))) {
            assertThatThrownBy(() -> connector.connect("ptcp:6653")).hasMessageContaining("passive");
            assertThatThrownBy(() -> connector.connect("tcp:127.0.0.1:0")).hasMessageContaining("port 0");
            assertThatThrownBy(() -> connector.connect("ssl:127.0.0.1:6653")).hasMessageContaining("needs TLS");
        }
    }
}
