package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import java.time.Duration;
import java.util.Collection;

/** Checks a user would make: pings between containers, and what {@code ovs-ofctl dump-flows} shows. */
final class E2eSupport {

    static final Duration CONVERGE = Duration.ofSeconds(20);

    private E2eSupport() {
    }

    /** Pings succeed within the convergence bound (the first ones may wait for ARP). */
    static void assertReaches(BedContainer from, BedContainer to) {
        await(from.name() + " -> " + to.name() + " (" + to.ip() + ")").atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> from.ping(to.ip(), 1, Duration.ofSeconds(1)));
    }

    /** Not one of several pings gets an answer. */
    static void assertIsolated(BedContainer from, String ip) {
        String out = from.exec("ping", "-c", "3", "-W", "1", "-i", "0.3", ip).stdout();
        assertThat(out).as("ping output of %s -> %s", from.name(), ip).contains(" 0 received");
    }

    static String flows(BedHost host) {
        return host.ofctl("dump-flows", "br-int").orThrow().stdout();
    }

    static void assertNoFlowMentions(Collection<BedHost> hosts, String mac) {
        for (BedHost h : hosts) {
            await("flows with " + mac + " gone from " + h.name()).atMost(CONVERGE)
                    .until(() -> !flows(h).contains(mac));
        }
    }
}
