package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.controller.InstallProgress;
import io.weft.controller.store.InMemoryStore;
import io.weft.controller.store.Mutation;
import io.weft.controller.store.Store;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reconciler against fake OVSDB and OpenFlow sides: convergence rules without a switch. */
class ReconcilerTest {

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final Store store = new InMemoryStore();
    private final Map<String, FakeOvsdb> ovsdbs = new ConcurrentHashMap<>();
    private final Reconciler reconciler = new Reconciler(store, (host, onChange) -> {
        FakeOvsdb f = new FakeOvsdb(host, onChange);
        ovsdbs.put(host.name(), f);
        return f;
    }, "unix:/run/weft/of.sock", executor, Clock.systemUTC());

    @AfterEach
    void stop() {
        reconciler.close();
        executor.shutdownNow();
    }

    @Test
    void announceIsInstalledOnlyOnceEveryHostHasFlowsTowardTheBoundEndpoint() throws Exception {
        commit(new Mutation.PutHost(Host.of("h1", "172.31.1.11")), new Mutation.PutHost(Host.of("h2", "172.31.1.12")),
                new Mutation.PutNetwork(new Network("red", 256, Encapsulation.VXLAN, 1450,
                        List.of(Subnet.of("10.0.0.0/24", "10.0.0.254")))));
        reconciler.start();
        FakeFlows s1 = new FakeFlows(1);
        FakeFlows s2 = new FakeFlows(2);
        reconciler.switchConnected(s1);
        reconciler.switchConnected(s2);

        long rev = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)),
                new Mutation.PutEndpoint(endpoint("c2", "h2", "v2", 2)));
        reconciler.awaitInstalled(rev).get();

        assertThat(ovsdbs.get("h1").lastDesired.ports()).extracting(DesiredPort::name)
                .containsExactlyInAnyOrder("vxlan-h2", "gre-h2", "v1");
        MacAddress c2 = endpoint("c2", "h2", "v2", 2).mac();
        assertThat(s1.last).as("h1 forwards to c2 on h2").anySatisfy(f ->
                assertThat(f.match().get(Field.ETH_DST)).hasValueSatisfying(m -> assertThat(m.value())
                        .isEqualTo(c2.bits())));

        // Removing c2 takes its flows off h1 through a delta (h1's flows were acknowledged before), and the result
        // equals a full compile's.
        int deltasBefore = s1.incremental.get();
        int fullBefore = s1.applies.get();
        long removed = commit(new Mutation.DeleteEndpoint(new EndpointId("red", "c2")));
        reconciler.awaitInstalled(removed).get();
        assertThat(s1.incremental.get()).as("changes after an acknowledged apply go as deltas")
                .isGreaterThan(deltasBefore);
        assertThat(s1.applies.get()).as("no full apply for them").isEqualTo(fullBefore);
        assertThat(s1.last).noneSatisfy(f -> assertThat(f.match().get(Field.ETH_DST))
                .hasValueSatisfying(m -> assertThat(m.value()).isEqualTo(c2.bits())));
        assertThat(new java.util.HashSet<>(s1.last)).isEqualTo(new java.util.HashSet<>(reconciler.desiredFlows("h1")));
    }

    @Test
    void aSwitchConnectingBeforeOvsdbKnowsItsDatapathIdIsMatchedLater() throws Exception {
        commit(new Mutation.PutHost(Host.of("h1", "172.31.1.11")));
        reconciler.start();
        await().until(() -> ovsdbs.containsKey("h1"));
        ovsdbs.get("h1").dpid = Optional.empty();
        FakeFlows s1 = new FakeFlows(1);
        reconciler.switchConnected(s1);
        assertThat(reconciler.plainSwitches()).extracting(p -> p.datapathId()).containsExactly(1L);
        assertThat(reconciler.plainSwitches().get(0).ports()).containsEntry(1L, "br-int");

        ovsdbs.get("h1").dpid = Optional.of(1L);
        ovsdbs.get("h1").onChange.run();
        await().atMost(Duration.ofSeconds(5)).until(() -> s1.applies.get() > 0);
        assertThat(reconciler.plainSwitches()).isEmpty();
    }

    @Test
    void awaitInstalledWaitsForAHostWhoseSwitchIsNotConnectedYet() throws Exception {
        long rev = commit(new Mutation.PutHost(Host.of("h1", "172.31.1.11")));
        reconciler.start();
        CompletableFuture<InstallProgress> installed = reconciler.awaitInstalled(rev);
        await().until(() -> ovsdbs.containsKey("h1") && ovsdbs.get("h1").lastDesired != null);
        assertThat(installed).isNotDone();

        reconciler.switchConnected(new FakeFlows(1));
        installed.get();
        assertThat(reconciler.status("h1")).hasValueSatisfying(s -> {
            assertThat(s.openflowConnected()).isTrue();
            assertThat(s.appliedRevision()).isGreaterThanOrEqualTo(rev);
        });
    }

    @Test
    void waitersCompleteWhileOtherEndpointsKeepComing() throws Exception {
        startWithRedOn("h1", "h2");
        long mine = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)));
        CompletableFuture<InstallProgress> installed = reconciler.awaitInstalled(mine);
        // Later writes keep leaving some endpoint unbound for a moment; the waiter must not wait for them.
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 2; !stop.get(); i = i % 200 + 2) {
                try {
                    commit(new Mutation.PutEndpoint(endpoint("c" + i, "h" + (1 + i % 2), "v" + i, i)));
                    commit(new Mutation.DeleteEndpoint(new EndpointId("red", "c" + i)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        writer.start();
        try {
            assertThat(installed).succeedsWithin(Duration.ofSeconds(10));
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void aSwitchThatReconnectsGetsEveryDesiredFlowAgain() throws Exception {
        startWithRedOn("h1");
        reconciler.awaitInstalled(commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)))).get();

        reconciler.switchDisconnected(1);
        FakeFlows again = new FakeFlows(1); // e.g. ovs-vswitchd restarted with an empty table
        reconciler.switchConnected(again);
        await().atMost(Duration.ofSeconds(5)).until(() -> again.applies.get() == 1);
        assertThat(new java.util.HashSet<>(again.last)).isEqualTo(new java.util.HashSet<>(reconciler.desiredFlows("h1")));
        assertThat(again.last).hasSizeGreaterThan(10);
    }

    @Test
    void anEndpointWhosePortOvsCannotOpenDoesNotHoldUpTheOthers() throws Exception {
        startWithRedOn("h1");
        long rev = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "missing1", 1)),
                new Mutation.PutEndpoint(endpoint("c2", "h1", "v2", 2)));
        assertThat(reconciler.awaitInstalled(rev)).succeedsWithin(Duration.ofSeconds(5));
        assertThat(reconciler.endpointOfport("h1", "v2")).isPresent();
        assertThat(reconciler.endpointOfport("h1", "missing1")).isEmpty();
    }

    /** Hosts h1, h2... as named, network red, the reconciler started and every host's switch connected. */
    private void startWithRedOn(String... hosts) throws Exception {
        for (String h : hosts) {
            commit(new Mutation.PutHost(Host.of(h, "172.31.1." + (10 + Integer.parseInt(h.substring(1))))));
        }
        commit(new Mutation.PutNetwork(new Network("red", 256, Encapsulation.VXLAN, 1450,
                List.of(Subnet.of("10.0.0.0/24", "10.0.0.254")))));
        reconciler.start();
        for (String h : hosts) {
            reconciler.switchConnected(new FakeFlows(Long.parseLong(h.substring(1))));
        }
    }

    private long commit(Mutation... mutations) throws Exception {
        return store.commit(store.current().revision(), List.of(mutations)).revision();
    }

    private static Endpoint endpoint(String name, String host, String port, int n) {
        Ipv4Address ip = Ipv4Address.parse("10.0.0." + n);
        return new Endpoint(new EndpointId("red", name), host, port, MacAddress.fromIpv4(ip), ip);
    }

    /** An OVSDB that numbers every port it is asked for, as ovs-vswitchd would. */
    private static final class FakeOvsdb implements OvsdbSide {
        final Runnable onChange;
        final List<BridgePort> ports = new CopyOnWriteArrayList<>();
        final long defaultDpid;
        volatile Optional<Long> dpid;
        volatile DesiredBridge lastDesired;

        FakeOvsdb(Host host, Runnable onChange) {
            this.onChange = onChange;
            this.defaultDpid = Long.parseLong(host.name().substring(1));
            this.dpid = Optional.of(defaultDpid);
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public List<BridgePort> bridgePorts() {
            return List.copyOf(ports);
        }

        @Override
        public Optional<Long> datapathId() {
            return dpid;
        }

        @Override
        public CompletableFuture<?> apply(DesiredBridge desired) {
            lastDesired = desired;
            boolean added = false;
            for (DesiredPort p : desired.ports()) {
                if (ports.stream().noneMatch(b -> b.name().equals(p.name()))) {
                    // As ovs-vswitchd does for an interface that does not exist: no ofport, an error.
                    boolean missing = p.name().startsWith("missing");
                    ports.add(new BridgePort(p.name(), missing ? Optional.empty() : Optional.of(ports.size() + 1),
                            true, Optional.empty(), missing ? Optional.of("could not open network device "
                            + p.name() + " (No such device)") : Optional.empty()));
                    added = true;
                }
            }
            if (added) {
                onChange.run();
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    }

    private static final class FakeFlows implements FlowSide {
        final long dpid;
        final AtomicInteger applies = new AtomicInteger();
        final AtomicInteger incremental = new AtomicInteger();
        volatile List<FlowRule> last = List.of();

        FakeFlows(long dpid) {
            this.dpid = dpid;
        }

        @Override
        public long datapathId() {
            return dpid;
        }

        @Override
        public CompletableFuture<FlowChange> apply(List<FlowRule> flows, List<GroupRule> groups) {
            last = flows;
            applies.incrementAndGet();
            return CompletableFuture.completedFuture(new FlowChange(flows.size(), 0, 0, 1));
        }

        @Override
        public CompletableFuture<FlowChange> applyChanges(List<FlowRule> upserts, List<FlowKey> removals) {
            Map<FlowKey, FlowRule> table = new java.util.LinkedHashMap<>();
            last.forEach(f -> table.put(f.key(), f));
            removals.forEach(table::remove);
            upserts.forEach(f -> table.put(f.key(), f));
            last = List.copyOf(table.values());
            incremental.incrementAndGet();
            return CompletableFuture.completedFuture(new FlowChange(upserts.size(), 0, removals.size(), 1));
        }

        @Override
        public Map<Long, String> ports() {
            return Map.of(1L, "br-int");
        }

        @Override
        public List<FlowRule> installedFlows() {
            return last;
        }
    }
}
