package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OvsdbTargetTest {

    @Test
    void parsesEveryTargetKindOvsUses() {
        assertThat(OvsdbTarget.parse("tcp:10.0.0.1:6640"))
                .isEqualTo(new OvsdbTarget(OvsdbTarget.Kind.TCP, "10.0.0.1", 6640, null));
        assertThat(OvsdbTarget.parse("ssl:[::1]:6640").host()).isEqualTo("::1");
        assertThat(OvsdbTarget.parse("unix:/run/openvswitch/db.sock").path())
                .isEqualTo(Path.of("/run/openvswitch/db.sock"));
        assertThat(OvsdbTarget.parse("ptcp:6640")).isEqualTo(new OvsdbTarget(OvsdbTarget.Kind.PTCP, "0.0.0.0", 6640, null));
        assertThat(OvsdbTarget.parse("ptcp:6640:127.0.0.1").host()).isEqualTo("127.0.0.1");
        assertThat(OvsdbTarget.parse("punix:/tmp/weft.sock").passive()).isTrue();
    }

    @Test
    void rejectsWhatOvsWouldNotAccept() {
        for (String bad : new String[] {"tcp:10.0.0.1", "tcp:h:99999", "unix:relative.sock", "udp:1.2.3.4:5", "", "ptcp:x"}) {
            assertThatThrownBy(() -> OvsdbTarget.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is invalid");
        }
    }

    @Test
    void backoffDoublesUpToItsCap() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(b.delay(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(2));
    }
}
