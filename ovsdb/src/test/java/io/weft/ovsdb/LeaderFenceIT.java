package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.weft.model.DatapathType;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import io.weft.testbed.OvsSandbox;
import io.weft.testbed.OvsSandboxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two sessions on one real ovsdb-server, as an old and a new leader replica: once the new one has taken the host
 * over, the old one's transactions abort and are refused, whatever its cache said when it planned them.
 */
class LeaderFenceIT {

    @RegisterExtension
    final OvsSandboxExtension sandbox = OvsSandboxExtension.perTest();
    private OvsSandbox ovs;
    private OvsdbTransport transport;

    @BeforeEach
    void start() throws Exception {
        ovs = sandbox.ovs();
        transport = OvsdbTransport.create(1);
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    private static DesiredBridge bridge(String... ports) {
        return new DesiredBridge("br-int", DatapathType.NETDEV, List.of(), List.of(ports).stream()
                .map(p -> new DesiredPort(p, "internal", Map.of(), ProvisionPlanner.OWNER_MARK)).toList());
    }

    private OvsdbHost session() {
        OvsdbHost h = OvsdbHost.active("h1", ovs.ovsdbTarget(), transport);
        await().atMost(Duration.ofSeconds(20)).until(h::isConnected);
        return h;
    }

    @Test
    void aNewerLeaderFencesTheOlderOnesWrites() throws Exception {
        try (OvsdbHost old = session(); OvsdbHost next = session()) {
            old.lead(7).get(10, TimeUnit.SECONDS);
            assertThat(ovs.vsctl("get", "Open_vSwitch", ".", "external_ids:" + LeaderFence.KEY).strip())
                    .isEqualTo("\"7\"");
            old.apply(bridge("p1")).get(10, TimeUnit.SECONDS);

            next.lead(9).get(10, TimeUnit.SECONDS);
            assertThat(ovs.vsctl("get", "Open_vSwitch", ".", "external_ids:" + LeaderFence.KEY).strip())
                    .isEqualTo("\"9\"");
            // The old leader's cache may or may not show 9 yet: either its wait fails or its plan is refused.
            assertThatThrownBy(() -> old.apply(bridge("p1", "p2")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(FencedException.class);
            assertThat(ovs.vsctl("list-ports", "br-int")).doesNotContain("p2");
            // Nor can it take the host back with its old generation.
            assertThatThrownBy(() -> old.lead(7).get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(FencedException.class);

            next.apply(bridge("p1", "p3")).get(10, TimeUnit.SECONDS);
            assertThat(ovs.vsctl("list-ports", "br-int")).contains("p3");
        }
    }

    @Test
    void aFollowerWritesNothingEvenWhenItReconnects() throws Exception {
        try (OvsdbHost h = session()) {
            h.lead(3).get(10, TimeUnit.SECONDS);
            h.apply(bridge("p1")).get(10, TimeUnit.SECONDS);
            h.follow();
            assertThatThrownBy(() -> h.apply(bridge("p1", "p2")).get(10, TimeUnit.SECONDS))
                    .cause().hasMessageContaining("follows");
            int sent = h.transactionsSent();
            java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
            h.addListener(new OvsdbHostListener() {
                @Override
                public void connected(OvsdbHost host, OvsdbSnapshot snapshot) {
                    connects.incrementAndGet();
                }
            });
            ovs.vsctl("del-port", "br-int", "p1");
            ovs.run("ovs-appctl", "-t", ovs.dir().resolve("ovsdb.ctl").toString(), "ovsdb-server/reconnect");
            await().atMost(Duration.ofSeconds(10)).until(() -> connects.get() > 0 && h.isConnected());
            // Queued behind anything the reconnect would have re-applied; it sends nothing itself (already held).
            h.lead(3).get(10, TimeUnit.SECONDS);
            h.follow();
            assertThat(h.transactionsSent()).isEqualTo(sent);
            assertThat(ovs.vsctl("list-ports", "br-int")).doesNotContain("p1");
        }
    }
}
