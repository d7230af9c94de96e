package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class OpenFlowTargetTest {

    @Test
    void parsesOvsTargetSyntax() {
        assertThat(OpenFlowTarget.parse("unix:/run/weft/of.sock"))
                .isEqualTo(new OpenFlowTarget(OpenFlowTarget.Kind.UNIX, new DomainSocketAddress("/run/weft/of.sock")));
        assertThat(OpenFlowTarget.parse("punix:/var/run/br-int.mgmt").kind()).isEqualTo(OpenFlowTarget.Kind.UNIX);
        assertThat(OpenFlowTarget.parse("tcp:127.0.0.1:6653").address())
                .isEqualTo(new InetSocketAddress("127.0.0.1", 6653));
        assertThat(OpenFlowTarget.parse("ptcp:6654").address()).isEqualTo(new InetSocketAddress("127.0.0.1", 6654));
        assertThat(OpenFlowTarget.parse("ptcp:6654:10.0.0.1").address())
                .isEqualTo(new InetSocketAddress("10.0.0.1", 6654));
        assertThat(OpenFlowTarget.parse("ssl:127.0.0.1:6653").kind()).isEqualTo(OpenFlowTarget.Kind.SSL);
    }

    @Test
    void rejectsMalformedTargetsClearly() {
        assertThatThrownBy(() -> OpenFlowTarget.parse("6653")).hasMessageContaining("is not an OpenFlow target");
        assertThatThrownBy(() -> OpenFlowTarget.parse("udp:1.2.3.4:5")).hasMessageContaining("unknown OpenFlow transport");
        assertThatThrownBy(() -> OpenFlowTarget.parse("tcp:127.0.0.1:x")).hasMessageContaining("port is not a number");
        assertThatThrownBy(() -> OpenFlowTarget.parse("tcp:127.0.0.1:70000")).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> OpenFlowTarget.parse("unix:")).hasMessageContaining("no socket path");
    }

    @Test
    void sslWithoutAContextIsRefusedBeforeBinding() {
        OpenFlowServer server = new OpenFlowServer(new RecordingListener(), ChannelConfig.defaults());
        assertThatThrownBy(() -> server.start(java.util.List.of("ssl:127.0.0.1:0")))
                .hasMessageContaining("sslContext");
        server.stop();
    }
}
