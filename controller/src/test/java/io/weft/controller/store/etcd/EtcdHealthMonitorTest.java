package io.weft.controller.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class EtcdHealthMonitorTest {

    private static final List<String> MEMBERS = List.of("127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379");
    private static final Duration TIMEOUT = Duration.ofMillis(400);

    @Test
    void a_majority_unreachable_is_no_quorum_naming_them() {
        assertThat(EtcdHealthMonitor.explain(MEMBERS, List.of("no leader", "unreachable", "unreachable"),
                new TimeoutException(), TIMEOUT))
                .isEqualTo("etcd has no quorum: 2 of 3 members unreachable (127.0.0.1:22379, 127.0.0.1:32379)");
    }

    @Test
    void members_without_a_leader_are_named() {
        assertThat(EtcdHealthMonitor.explain(MEMBERS, List.of("no leader", "no leader", "unreachable"),
                new TimeoutException(), TIMEOUT))
                .startsWith("etcd has no leader (127.0.0.1:2379, 127.0.0.1:22379 report none; unreachable: "
                        + "127.0.0.1:32379)");
    }

    @Test
    void otherwise_the_read_failure_is_told() {
        assertThat(EtcdHealthMonitor.explain(MEMBERS, List.of("ok", "ok", "ok"),
                new IllegalStateException("etcdserver: request timed out"), TIMEOUT))
                .isEqualTo("etcd did not answer a quorum read within 400 ms (etcdserver: request timed out)");
    }
}
