package io.weft.controller.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdTargetTest {

    @Test
    void parsesMembersAndPrefix() {
        EtcdTarget t = EtcdTarget.parse("etcd://127.0.0.1:2379, 127.0.0.1:22379/deploy-a");
        assertThat(t.endpoints()).containsExactly("127.0.0.1:2379", "127.0.0.1:22379");
        assertThat(t.prefix()).isEqualTo("/deploy-a");
        assertThat(EtcdTarget.parse("etcd://h:1").prefix()).isEqualTo("/weft");
        assertThat(EtcdTarget.parse("etcd://h:1").toString()).isEqualTo("etcd://h:1");
    }

    @Test
    void refusesWhatIsNotATarget() {
        for (String bad : List.of("http://h:1", "etcd://", "etcd://h", "etcd://h:0", "etcd://h:1,", "etcd://h:x",
                "etcd://h:1/", "etcd://h:1/a/", "etcd://h:99999")) {
            assertThatThrownBy(() -> EtcdTarget.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
