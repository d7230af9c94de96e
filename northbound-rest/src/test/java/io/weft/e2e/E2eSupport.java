package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import io.weft.testbed.TestBedExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

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

    /** Each flow (its text without counters) and how long it has been installed. */
    static Map<String, Double> flowAges(BedHost host) {
        return host.flowAges("br-int");
    }

    /** {@code host} holds exactly the flows of {@code before} (from {@link #flowAges}), none re-installed since. */
    static void assertFlowsUntouched(BedHost host, Map<String, Double> before) {
        Map<String, Double> after = flowAges(host);
        assertThat(after.keySet()).as("the same flows on %s", host.name()).isEqualTo(before.keySet());
        after.forEach((flow, age) -> assertThat(age).as("flow was not re-installed on %s: %s", host.name(), flow)
                .isGreaterThanOrEqualTo(before.get(flow)));
    }

    /** Every one of {@code hosts} holds exactly what Weft wants, through {@code revision}. */
    static void awaitInSync(WeftClient api, long revision, Collection<BedHost> hosts) {
        awaitInSync(api, revision, hosts, CONVERGE);
    }

    static void awaitInSync(WeftClient api, long revision, Collection<BedHost> hosts, Duration atMost) {
        for (BedHost h : hosts) {
            await("resync of " + h.name()).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonNode status = api.expect(200, "GET", "/api/v1/hosts/" + h.name(), null).path("status");
                return status.path("openflowConnected").asBoolean() && status.path("inSync").asBoolean()
                        && status.path("appliedRevision").asLong() >= revision;
            });
        }
    }

    /** Every host of the bed, network net1 (10.65.10.0/24), and {@code containers} announced in it. */
    static void provisionAllHosts(WeftClient api, TestBedExtension bed, String... containers) {
        bed.hosts().forEach(api::addHost);
        api.addNetwork("net1", "vxlan", "10.65.10.0/24", "10.65.10.254");
        for (String c : containers) {
            api.announce(bed.container(c), "net1");
        }
    }

    /** On a {@code onelan} bed: hosts h1 and h2, network net1 (10.65.10.0/24), c1 and c2 in it, pinging. */
    static void provisionNet1(WeftClient api, TestBedExtension bed) {
        api.addHost(bed.host("h1"));
        api.addHost(bed.host("h2"));
        api.addNetwork("net1", "vxlan", "10.65.10.0/24", "10.65.10.254");
        api.announce(bed.container("c1"), "net1");
        api.announce(bed.container("c2"), "net1");
        assertReaches(bed.container("c1"), bed.container("c2"));
    }
}
