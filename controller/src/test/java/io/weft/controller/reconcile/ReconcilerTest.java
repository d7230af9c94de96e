package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.ControllerEvent.EndpointBound;
import io.weft.controller.events.ControllerEvent.EndpointRemoved;
import io.weft.controller.events.ControllerEvent.FlowsInstalled;
import io.weft.controller.events.ControllerEvent.NetworkCreated;
import io.weft.controller.events.EventSubscription;
import io.weft.controller.events.SequencedEvent;
import io.weft.controller.store.InMemoryStore;
import io.weft.controller.store.Mutation;
import io.weft.controller.store.Store;
import io.weft.controller.view.HostStatus;
import io.weft.controller.view.HostUnreadableException;
import io.weft.controller.view.InstallProgress;
import io.weft.controller.view.SwitchReading;
import io.weft.flows.FlowCompiler;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Match;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import io.weft.southbound.FlowTable;
import io.weft.southbound.OpenFlowVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reconciler against fake OVSDB sessions and fake switches: convergence rules without OVS. */
class ReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final Store store = new InMemoryStore();
    private final Map<String, FakeOvsdb> ovsdbs = new ConcurrentHashMap<>();
    /** Hosts whose OVSDB session cannot even be opened, as a target that cannot be used. */
    private final Set<String> unusable = ConcurrentHashMap.newKeySet();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private Reconciler reconciler = newReconciler();

    private Reconciler newReconciler() {
        return newReconciler(Duration.ofMillis(50));
    }

    private Reconciler newReconciler(Duration auditInterval) {
        return new Reconciler(store, (host, onChange) -> {
            if (unusable.contains(host.name())) {
                throw new IllegalArgumentException("ovsdb target 'tcp:127.0.0.1:99999' is not usable");
            }
            FakeOvsdb f = ovsdbs.computeIfAbsent(host.name(), n -> new FakeOvsdb(host));
            f.onChange = onChange;
            return f;
        }, "unix:/run/weft/of.sock", loop, Clock.systemUTC(), new Reconciler.Settings(auditInterval, 4), meters);
    }

    @AfterEach
    void stop() {
        reconciler.close();
        loop.shutdownNow();
    }

    @Test
    void anAnnounceIsInstalledOnEveryHostAndARemovalTakesOnlyItsFlows() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        FakeSwitch s2 = new FakeSwitch(2);
        startWithRedOn(s1, s2);

        long rev = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)),
                new Mutation.PutEndpoint(endpoint("c2", "h2", "v2", 2)));
        InstallProgress installed = reconciler.awaitInstalled(rev).get(10, TimeUnit.SECONDS);
        assertThat(installed.acknowledged()).containsExactly("h1", "h2");
        assertThat(ovsdbs.get("h1").portNames()).containsExactlyInAnyOrder("vxlan-h2", "gre-h2", "v1");
        MacAddress c2 = endpoint("c2", "h2", "v2", 2).mac();
        assertThat(s1.table.values()).as("h1 forwards to c2 on h2").anySatisfy(f ->
                assertThat(f.match().get(Field.ETH_DST)).hasValueSatisfying(m -> assertThat(m.value())
                        .isEqualTo(c2.bits())));
        assertThat(Set.copyOf(s1.table.values())).isEqualTo(Set.copyOf(reconciler.desiredFlows("h1")));

        // Removing c2 sends h1 only c2's flows to delete; h1 then holds exactly a full compile's flows.
        int sentBefore = s1.mods.get();
        long removed = commit(new Mutation.DeleteEndpoint(new EndpointId("red", "c2")));
        reconciler.awaitInstalled(removed).get(10, TimeUnit.SECONDS);
        assertThat(s1.table.values()).noneSatisfy(f -> assertThat(f.match().get(Field.ETH_DST))
                .hasValueSatisfying(m -> assertThat(m.value()).isEqualTo(c2.bits())));
        assertThat(s1.mods.get() - sentBefore).as("a few deletes, not a resend").isBetween(1, 5);
        assertThat(reconciler.status("h1").orElseThrow().flowModsSent()).isEqualTo(s1.mods.get());
        assertThat(Set.copyOf(s1.table.values())).isEqualTo(Set.copyOf(
                FlowCompiler.compile(store.current().toSnapshot(Map.of("h1", ovsdbs.get("h1").ofports(),
                        "h2", ovsdbs.get("h2").ofports())), "h1").flows()));
    }

    @Test
    void anEndpointIsToldBoundOnceItsPortIsMadeAndEveryHostInstalledItsFlowsAndRemovedOnceTheyAreGone()
            throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        FakeSwitch s2 = new FakeSwitch(2);
        startWithRedOn(s1, s2);
        install(endpoint("c2", "h2", "v2", 2)); // red is on h2: c1's flows go there too
        EventSubscription events = reconciler.subscribe(OptionalLong.empty());
        ovsdbs.get("h1").holdApplies.set(true);
        long rev = commit(new Mutation.PutNetwork(new Network("blue", 300, Encapsulation.VXLAN, 1450,
                List.of(Subnet.of("10.1.0.0/24", "10.1.0.254")))), new Mutation.PutEndpoint(endpoint("c1", "h1",
                "v1", 1)));
        MacAddress c1 = endpoint("c1", "h1", "v1", 1).mac();
        await().atMost(WAIT).until(() -> s2.table.values().stream().anyMatch(f -> f.match().get(Field.ETH_DST)
                .map(m -> m.value() == c1.bits()).orElse(false)));
        assertThat(reconciler.installProgress(rev).pending().get("h1")).contains("v1");

        List<ControllerEvent> seen = readUntil(events, e -> e instanceof FlowsInstalled f && f.host().equals("h2"));
        assertThat(seen).first().isInstanceOf(ControllerEvent.Resync.class);
        assertThat(seen).anyMatch(e -> e instanceof NetworkCreated n && n.network().equals("blue"));
        for (Optional<SequencedEvent> e = events.poll(Duration.ZERO); e.isPresent(); e = events.poll(Duration.ZERO)) {
            seen.add(e.get().event());
        }
        assertThat(seen).as("h2 installed, but c1 has no port on h1 yet").noneMatch(ReconcilerTest::c1Bound);
        ovsdbs.get("h1").release(); // OVS makes v1: only now is c1 bound on h1
        seen.addAll(readUntil(events, ReconcilerTest::c1Bound));
        assertThat(seen).anyMatch(e -> e instanceof FlowsInstalled f && f.host().equals("h1") && f.revision() >= rev
                && f.flows() == s1.table.size() && f.flowMods() > 0);
        EndpointBound bound = (EndpointBound) seen.get(seen.size() - 1);
        assertThat(bound).isEqualTo(new EndpointBound(bound.at(), "red", "c1", "h1", "10.0.0.1",
                MacAddress.fromIpv4(Ipv4Address.parse("10.0.0.1")).toString()));

        commit(new Mutation.DeleteEndpoint(new EndpointId("red", "c1")));
        List<ControllerEvent> removal = readUntil(events, EndpointRemoved.class::isInstance);
        assertThat(removal.get(removal.size() - 1)).isEqualTo(new EndpointRemoved(
                removal.get(removal.size() - 1).at(), "red", "c1", "h1"));
        assertThat(removal).filteredOn(e -> e instanceof FlowsInstalled).extracting(e -> ((FlowsInstalled) e).host())
                .as("both hosts took c1's flows out first").contains("h1", "h2");
    }

    private static boolean c1Bound(ControllerEvent e) {
        return e instanceof EndpointBound b && b.endpoint().equals("c1");
    }

    /** Reads events until one that is {@code last}, which is the last of the list. */
    private static List<ControllerEvent> readUntil(EventSubscription events,
                                                   java.util.function.Predicate<ControllerEvent> last) {
        List<ControllerEvent> seen = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            Optional<SequencedEvent> e = events.poll(Duration.ofMillis(100));
            e.ifPresent(s -> seen.add(s.event()));
            return e.isPresent() && last.test(e.get().event());
        });
        return seen;
    }

    @Test
    void flowsGoOutWithTheTransactionThatMakesTheirPortNotAfterIt() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        startWithRedOn(s1);
        ovsdbs.get("h1").holdApplies.set(true);
        long rev = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)));
        // OVS has not made v1 yet, but the switch already has c1's flows on the ofport Weft asked for.
        await().atMost(WAIT).until(() -> s1.table.values().stream().anyMatch(f ->
                f.match().get(Field.IN_PORT).map(m -> m.value() >= 32768).orElse(false)));
        assertThat(ovsdbs.get("h1").portNames()).doesNotContain("v1");
        assertThat(reconciler.installProgress(rev).pending()).containsKey("h1");
        assertThat(reconciler.installProgress(rev).pending().get("h1")).contains("v1");

        ovsdbs.get("h1").release();
        assertThat(reconciler.awaitInstalled(rev)).succeedsWithin(WAIT);
        int asked = reconciler.endpointOfport("h1", "v1").orElseThrow();
        assertThat(ovsdbs.get("h1").ports.get("v1").ofport()).contains(asked);
    }

    @Test
    void aSwitchConnectingBeforeOvsdbKnowsItsDatapathIdIsMatchedLater() throws Exception {
        commit(new Mutation.PutHost(Host.of("h1", "172.31.1.11")));
        reconciler.start();
        await().atMost(WAIT).until(() -> ovsdbs.containsKey("h1"));
        ovsdbs.get("h1").dpid = Optional.empty();
        FakeSwitch s1 = new FakeSwitch(1);
        reconciler.switchConnected(s1);
        await().atMost(WAIT).until(() -> reconciler.plainSwitches().size() == 1);
        assertThat(reconciler.plainSwitches().get(0).datapathId()).isEqualTo(1L);
        assertThat(reconciler.plainSwitches().get(0).ports()).containsEntry(1L, "br-int");

        ovsdbs.get("h1").dpid = Optional.of(1L);
        ovsdbs.get("h1").changed();
        await().atMost(WAIT).until(() -> !s1.table.isEmpty());
        assertThat(reconciler.plainSwitches()).isEmpty();
    }

    @Test
    void aBrIntThatSpeaksOnlyOpenFlow10IsRefusedWithWhyInTheHostsStatusAndUsedOnceItReconnectsWith13()
            throws Exception {
        commit(new Mutation.PutHost(Host.of("h1", "172.31.1.11")));
        reconciler.start();
        await().atMost(WAIT).until(() -> ovsdbs.containsKey("h1") && ovsdbs.get("h1").applies.get() > 0);
        FakeSwitch of10 = new FakeSwitch(1);
        of10.version = OpenFlowVersion.OF_10;
        reconciler.switchConnected(of10);
        await().atMost(WAIT).until(() -> reconciler.status("h1").flatMap(HostStatus::lastError).isPresent());
        assertThat(reconciler.status("h1")).hasValueSatisfying(s -> {
            assertThat(s.openflowConnected()).isFalse();
            assertThat(s.inSync()).isFalse();
            assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e)
                    .contains("OpenFlow 1.0").contains("needs OpenFlow 1.3"));
        });
        assertThat(reconciler.plainSwitches()).as("not a plain switch either").isEmpty();
        assertThat(of10.mods).hasValue(0);

        FakeSwitch of13 = new FakeSwitch(1);
        reconciler.switchConnected(of13);
        await().atMost(WAIT).until(() -> reconciler.status("h1").map(HostStatus::inSync).orElse(false));
        assertThat(reconciler.status("h1").flatMap(HostStatus::lastError)).isEmpty();
        assertThat(of13.table).isNotEmpty();
        assertThat(of10.mods).hasValue(0);
    }

    @Test
    void aWaitForAHostWhoseSwitchIsNotConnectedNamesItAndCompletesOnceItConnects() throws Exception {
        long rev = commit(new Mutation.PutHost(Host.of("h1", "172.31.1.11")));
        reconciler.start();
        CompletableFuture<InstallProgress> installed = reconciler.awaitInstalled(rev);
        await().atMost(WAIT).until(() -> ovsdbs.containsKey("h1") && ovsdbs.get("h1").applies.get() > 0);
        assertThat(installed).isNotDone();
        assertThat(reconciler.installProgress(rev).pending()).containsEntry("h1", "OpenFlow not connected");

        reconciler.switchConnected(new FakeSwitch(1));
        assertThat(installed.get(10, TimeUnit.SECONDS).acknowledged()).containsExactly("h1");
        assertThat(reconciler.status("h1")).hasValueSatisfying(s -> {
            assertThat(s.openflowConnected()).isTrue();
            assertThat(s.inSync()).isTrue();
        });
    }

    @Test
    void anUnreachableHostHoldsUpOnlyTheChangesThatConcernIt() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        FakeSwitch s2 = new FakeSwitch(2);
        startWithRedOn(s1, s2);
        install(endpoint("c2", "h2", "v2", 2));
        reconciler.switchDisconnected(2);

        // h2 holds red, so a red endpoint on h1 concerns it: the wait names it.
        long red = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)));
        CompletableFuture<InstallProgress> waiting = reconciler.awaitInstalled(red);
        await().atMost(WAIT).until(() -> reconciler.installProgress(red).acknowledged().contains("h1"));
        assertThat(waiting).isNotDone();
        assertThat(reconciler.installProgress(red).pending()).containsEntry("h2", "OpenFlow not connected");

        // A network h2 has nothing of does not concern it.
        commit(new Mutation.PutNetwork(new Network("blue", 300, Encapsulation.VXLAN, 1450,
                List.of(Subnet.of("10.1.0.0/24", "10.1.0.254")))));
        long blue = commit(new Mutation.PutEndpoint(new Endpoint(new EndpointId("blue", "b1"), "h1", "vb1",
                MacAddress.parse("02:00:00:00:01:01"), Ipv4Address.parse("10.1.0.1"))));
        assertThat(reconciler.awaitInstalled(blue)).as(() -> "" + reconciler.installProgress(blue))
                .succeedsWithin(WAIT);

        reconciler.switchConnected(s2);
        assertThat(waiting).succeedsWithin(WAIT);
    }

    @Test
    void aWaitsTimelineStampsEachHostItConcernsAsThatHostGetsItsPortsAndFlows() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        FakeSwitch s2 = new FakeSwitch(2);
        FakeSwitch s3 = new FakeSwitch(3);
        startWithRedOn(s1, s2, s3);
        install(endpoint("c2", "h2", "v2", 2));
        commit(new Mutation.PutNetwork(new Network("blue", 300, Encapsulation.VXLAN, 1450,
                List.of(Subnet.of("10.1.0.0/24", "10.1.0.254")))));
        install(new Endpoint(new EndpointId("blue", "b3"), "h3", "vb3", MacAddress.parse("02:00:00:00:01:03"),
                Ipv4Address.parse("10.1.0.3")));
        reconciler.switchDisconnected(2);

        // A red endpoint on h1 concerns h1 and h2 (which holds red), not h3 (blue only).
        long red = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)));
        CompletableFuture<InstallProgress> waiting = reconciler.awaitInstalled(red);
        await().atMost(WAIT).until(() -> reconciler.installProgress(red).acknowledged().contains("h1"));
        long reconnected = System.nanoTime();
        reconciler.switchConnected(s2);
        InstallProgress.Timeline t = waiting.get(10, TimeUnit.SECONDS).timeline().orElseThrow();

        assertThat(t.hosts()).containsOnlyKeys("h1", "h2");
        InstallProgress.HostSteps h1 = t.hosts().get("h1");
        InstallProgress.HostSteps h2 = t.hosts().get("h2");
        assertThat(t.compiledNanos()).isPositive();
        assertThat(List.of(h1.portsNanos(), h1.flowsNanos(), h2.portsNanos(), h2.flowsNanos()))
                .allSatisfy(at -> assertThat(at).isGreaterThanOrEqualTo(t.compiledNanos()));
        assertThat(h2.flowsNanos()).as("h2's switch was away").isGreaterThanOrEqualTo(reconnected)
                .isGreaterThanOrEqualTo(h1.flowsNanos());
    }

    @Test
    void anEndpointOnAPortSomeoneElseAddsIsWaitedForUntilOvsNumbersThePortAndItsFlowsAreIn() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        FakeSwitch s2 = new FakeSwitch(2);
        startWithRedOn(s1, s2);
        install(endpoint("c2", "h2", "v2", 2));
        install(endpoint("c1", "h1", "v1", 1)); // red is on h1 already: c9 alone changes no flow there until bound
        // A CNI-style plugin added veth9 with c9's iface-id a moment ago: OVS has not numbered it yet.
        FakeOvsdb h1 = ovsdbs.get("h1");
        h1.ports.put("veth9", new BridgePort("veth9", Optional.empty(), false, Optional.of("red/c9"),
                Optional.empty(), Optional.empty()));
        h1.changed();
        long rev = commit(new Mutation.PutEndpoint(endpoint("c9", "h1", "veth9", 9)));
        CompletableFuture<InstallProgress> installed = reconciler.awaitInstalled(rev);
        await().atMost(WAIT).until(() -> {
            System.err.println("PROGRESS " + reconciler.installProgress(rev));
            return reconciler.installProgress(rev).acknowledged().contains("h2");
        });
        assertThat(installed).as("h1 cannot deliver to c9 yet").isNotDone();
        assertThat(reconciler.installProgress(rev).pending()).containsKey("h1");

        h1.ports.put("veth9", new BridgePort("veth9", Optional.of(7), false, Optional.of("red/c9"),
                Optional.empty(), Optional.empty()));
        h1.changed();
        assertThat(installed).succeedsWithin(WAIT);
        assertThat(installed.get().acknowledged()).containsExactly("h1", "h2");
        assertThat(s1.table.values()).as("c9's flows on port 7 are on the switch when the wait ends").anySatisfy(f ->
                assertThat(f.match().get(Field.IN_PORT)).hasValueSatisfying(m -> assertThat(m.value()).isEqualTo(7)));
    }

    @Test
    void aWaitIsAnsweredAsOfItsOwnStepNotOfNewerOnesStillOnTheirWay() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        long mine = c1SentAndNotAcknowledged(s1);
        CompletableFuture<InstallProgress> installed = reconciler.awaitInstalled(mine);
        long next = commit(new Mutation.PutEndpoint(endpoint("c3", "h1", "v3", 3)));
        await().atMost(WAIT).until(() -> reconciler.installProgress(next).pending().get("h1") != null
                && !reconciler.installProgress(next).pending().get("h1").contains("not compiled"));
        s1.acknowledgeOne(); // c1's batch; c3's goes out in the same step and stays unacknowledged
        assertThat(installed).succeedsWithin(WAIT);
        assertThat(installed.get().acknowledged()).containsExactly("h1");
        assertThat(installed.get().pending()).isEmpty();
        assertThat(reconciler.status("h1").orElseThrow().appliedRevision()).as("what the REST binding reads")
                .isGreaterThanOrEqualTo(mine);
        assertThat(reconciler.installProgress(next).pending()).containsKey("h1");
        s1.holdAcks.set(false);
        s1.acknowledgeOne();
        assertThat(reconciler.awaitInstalled(next)).succeedsWithin(WAIT);
    }

    @Test
    void aWaitEndsOnlyOnceWhatItReportsIsPublished() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        long rev = c1SentAndNotAcknowledged(s1);
        // The switch acknowledges and the wait is asked for while the loop is busy, so both are taken in before the
        // step that publishes the acknowledgement (the REST reply's 'binding' reads what is published). The
        // benches saw it: a 201 acknowledged by every host, yet 'installing', when the flows were in before the
        // commit's fsync returned.
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s1.acknowledgeOne();
        CompletableFuture<InstallProgress> installed = reconciler.awaitInstalled(rev);
        CompletableFuture<Long> appliedWhenAnswered =
                installed.thenApply(p -> reconciler.status("h1").orElseThrow().appliedRevision());
        busy.countDown();
        assertThat(appliedWhenAnswered).succeedsWithin(WAIT).satisfies(applied ->
                assertThat(applied).as("h1's published appliedRevision when the wait ends").isGreaterThanOrEqualTo(rev));
    }

    /** Red on h1 (switch {@code s1}) with c0 installed, then c1 committed: its batch sent, its ack held. */
    private long c1SentAndNotAcknowledged(FakeSwitch s1) throws Exception {
        startWithRedOn(s1);
        install(endpoint("c0", "h1", "v0", 10));
        s1.holdAcks.set(true);
        long rev = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)));
        await().atMost(WAIT).until(() -> s1.unacknowledged.size() == 1);
        return rev;
    }

    @Test
    void waitersCompleteWhileOtherEndpointsKeepComing() throws Exception {
        startWithRedOn(new FakeSwitch(1), new FakeSwitch(2));
        long mine = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)));
        CompletableFuture<InstallProgress> installed = reconciler.awaitInstalled(mine);
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
            assertThat(installed).succeedsWithin(WAIT);
            // Judged at the step the waiter was pinned to: steps in flight since then are not this change's.
            assertThat(installed.get().pending()).isEmpty();
            assertThat(installed.get().acknowledged()).as("red is on h1 only when c1 comes").containsExactly("h1");
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void aSwitchThatComesBackEmptyGetsEverythingAndOneThatKeptItsFlowsGetsNothing() throws Exception {
        FakeSwitch s1 = startWithC1OnH1();
        Map<FlowKey, FlowRule> before = Map.copyOf(s1.table);

        reconciler.switchDisconnected(1);
        FakeSwitch kept = new FakeSwitch(1);
        kept.table.putAll(before);
        reconciler.switchConnected(kept);
        await().atMost(WAIT).until(() -> reconciler.status("h1").map(s -> s.inSync()).orElse(false));
        assertThat(kept.mods.get()).as("flows already right are not sent again").isZero();
        assertThat(reconciler.status("h1").orElseThrow().flowModsSent()).as("as the host's status says").isZero();

        reconciler.switchDisconnected(1);
        FakeSwitch empty = new FakeSwitch(1); // e.g. ovs-vswitchd restarted
        reconciler.switchConnected(empty);
        await().atMost(WAIT).until(() -> empty.table.equals(before));
    }

    @Test
    void aRestartSendsNothingAndDeletesNothingEvenIfOpenFlowConnectsBeforeOvsdb() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        FakeSwitch s2 = new FakeSwitch(2);
        startWithRedOn(s1, s2);
        reconciler.awaitInstalled(commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)),
                new Mutation.PutEndpoint(endpoint("c2", "h2", "missing2", 2)))).get(10, TimeUnit.SECONDS);
        reconciler.close();

        // A new controller: both switches connect at once, OVSDB only later.
        reconciler = newReconciler();
        ovsdbs.values().forEach(o -> o.connected = false);
        reconciler.start();
        FakeSwitch again1 = new FakeSwitch(1);
        again1.table.putAll(s1.table);
        FakeSwitch again2 = new FakeSwitch(2);
        again2.table.putAll(s2.table);
        reconciler.switchConnected(again1);
        reconciler.switchConnected(again2);
        ovsdbs.values().forEach(o -> {
            o.connected = true;
            o.changed();
        });
        await().atMost(WAIT).until(() -> reconciler.status("h1").map(s -> s.inSync()).orElse(false)
                && reconciler.status("h2").map(s -> s.inSync()).orElse(false));
        assertThat(again1.mods.get() + again2.mods.get()).as("flow-mods after the restart").isZero();
        assertThat(again1.reads.get()).as("the switch's table was read before anything was decided").isPositive();
    }

    @Test
    void aSwitchsTableIsReadAsItConnectsWhileItsHostsOvsdbIsStillComingAndThatReadIsTheOneUsed() throws Exception {
        FakeSwitch s1 = startWithC1OnH1();
        reconciler.close();

        // A new controller (no audits during this test, so every read counted is a start-up read).
        reconciler = newReconciler(Duration.ofHours(1));
        ovsdbs.get("h1").connected = false;
        ovsdbs.get("h1").dpid = Optional.empty();
        reconciler.start();
        FakeSwitch again = new FakeSwitch(1);
        again.table.putAll(s1.table);
        reconciler.switchConnected(again);
        // Nothing tells yet that this switch is h1's, and its table is being read already.
        await().atMost(WAIT).until(() -> again.reads.get() == 1);
        assertThat(reconciler.plainSwitches()).hasSize(1);

        ovsdbs.get("h1").connected = true;
        ovsdbs.get("h1").dpid = Optional.of(1L);
        ovsdbs.get("h1").changed();
        await().atMost(WAIT).until(() -> reconciler.status("h1").map(s -> s.inSync()).orElse(false));
        assertThat(again.reads.get()).as("the read made as it connected is the one compared").isEqualTo(1);
        assertThat(again.mods.get()).isZero();
        assertThat(reconciler.status("h1").orElseThrow().flowModsSent()).isZero();
    }

    @Test
    void anEndpointWhosePortOvsCannotOpenDoesNotHoldUpTheOthersAndItsFlowsWaitForTheDevice() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        startWithRedOn(s1);
        long rev = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "missing1", 1)),
                new Mutation.PutEndpoint(endpoint("c2", "h1", "v2", 2)));
        assertThat(reconciler.awaitInstalled(rev)).succeedsWithin(WAIT);
        assertThat(reconciler.endpointOfport("h1", "v2")).isPresent();
        // OVS keeps the number Weft asked for until the device appears: the flows for it are there already.
        int missing = reconciler.endpointOfport("h1", "missing1").orElseThrow();
        assertThat(s1.table.values()).anySatisfy(f -> assertThat(f.match().get(Field.IN_PORT))
                .hasValueSatisfying(m -> assertThat(m.value()).isEqualTo(missing)));
    }

    @Test
    void aHostWhoseSessionCannotBeMadeIsIsolatedAndTheOthersGoOn() throws Exception {
        unusable.add("h9");
        FakeSwitch s1 = new FakeSwitch(1);
        startWithRedOn(s1);
        long rev = commit(new Mutation.PutHost(Host.of("h9", "172.31.1.99")),
                new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)));
        await().atMost(WAIT).until(() -> reconciler.installProgress(rev).acknowledged().contains("h1"));
        assertThat(reconciler.status("h9")).hasValueSatisfying(s -> {
            assertThat(s.ovsdbConnected()).isFalse();
            assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("99999"));
        });
        assertThat(reconciler.installProgress(rev).pending().get("h9")).contains("99999");
        // Later changes still reach h1.
        long next = commit(new Mutation.PutEndpoint(endpoint("c3", "h1", "v3", 3)));
        await().atMost(WAIT).until(() -> reconciler.installProgress(next).acknowledged().contains("h1"));
    }

    @Test
    void flowsChangedOnTheSwitchBehindWeftsBackAreFoundAndRepaired() throws Exception {
        FakeSwitch s1 = startWithC1OnH1();
        Map<FlowKey, FlowRule> good = Map.copyOf(s1.table);

        // An operator deletes one of Weft's flows: the counts differ, the table is read and the flow restored.
        FlowKey victim = good.keySet().iterator().next();
        s1.table.remove(victim);
        await().atMost(WAIT).until(() -> s1.table.equals(good));
        // The status is published at the end of the step whose batch repaired the table: it may come a moment later.
        await().atMost(WAIT).untilAsserted(() -> assertThat(reconciler.status("h1")).hasValueSatisfying(s -> {
            assertThat(s.driftsRepaired()).isEqualTo(1);
            assertThat(s.lastDrift()).hasValueSatisfying(d -> assertThat(d.what()).contains("1 missing"));
        }));

        // One changes a flow's actions: same counts, found by the periodic full read.
        FlowRule changed = good.get(victim);
        s1.table.put(victim, new FlowRule(changed.tableId(), changed.priority(), changed.match(),
                List.of(io.weft.model.flow.Instruction.apply(Action.output(4242))), changed.cookie()));
        await().atMost(WAIT).until(() -> s1.table.equals(good));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(reconciler.status("h1").orElseThrow().driftsRepaired()).isEqualTo(2));
    }

    @Test
    void eachHostsMetersReadItsStatusAndGoWithIt() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        FakeSwitch s2 = new FakeSwitch(2);
        startWithRedOn(s1, s2);
        install(endpoint("c1", "h1", "v1", 1));
        await().atMost(WAIT).until(() -> reconciler.status("h1").map(HostStatus::inSync).orElse(false));
        HostStatus h1 = reconciler.status("h1").orElseThrow();
        assertThat(gauge(ReconcileMeters.FLOWS_DESIRED, "h1")).isEqualTo(h1.flowsDesired()).isPositive();
        assertThat(gauge(ReconcileMeters.FLOWS_INSTALLED, "h1")).isEqualTo(h1.flowsInstalled());
        assertThat(gauge(ReconcileMeters.OVSDB_CONNECTED, "h1")).isEqualTo(1);
        assertThat(gauge(ReconcileMeters.OPENFLOW_CONNECTED, "h1")).isEqualTo(1);
        assertThat(meters.get(ReconcileMeters.FLOW_MODS_SENT).tag("host", "h1").counter().count())
                .as("every flow-mod the switch got").isEqualTo(s1.mods.get()).isPositive();
        double passes = meters.get(ReconcileMeters.PASSES).counter().count();
        assertThat(passes).isPositive();
        assertThat(meters.get(ReconcileMeters.PASS).timer().count()).isEqualTo((long) passes);

        reconciler.switchDisconnected(1);
        await().atMost(WAIT).until(() -> gauge(ReconcileMeters.OPENFLOW_CONNECTED, "h1") == 0);

        commit(new Mutation.DeleteHost("h2"));
        await().atMost(WAIT).until(() -> reconciler.status("h2").isEmpty());
        assertThat(meters.getMeters()).as("h2's series are gone")
                .noneMatch(m -> "h2".equals(m.getId().getTag("host")));
        assertThat(meters.getMeters().stream().filter(m -> "h1".equals(m.getId().getTag("host")))
                .map(m -> m.getId().getName())).containsExactlyInAnyOrder(ReconcileMeters.FLOWS_DESIRED,
                ReconcileMeters.FLOWS_INSTALLED, ReconcileMeters.OVSDB_CONNECTED, ReconcileMeters.OPENFLOW_CONNECTED,
                ReconcileMeters.FLOW_MODS_SENT);
    }

    @Test
    void aReaderGetsWhatTheSwitchHoldsNowWithCountersAndAHostThatCannotBeReadSaysWhy() throws Exception {
        FakeSwitch s1 = startWithC1OnH1();
        FlowRule counted = s1.table.values().iterator().next();
        s1.counters.put(counted.key(), new FlowTable.Counters(7, 700));

        SwitchReading read = reconciler.readFlows("h1").get(10, TimeUnit.SECONDS);
        assertThat(read.host()).isEqualTo("h1");
        assertThat(Set.copyOf(read.rules())).isEqualTo(Set.copyOf(s1.table.values()));
        assertThat(read.flows()).contains(new SwitchReading.CountedFlow(counted, 7, 700));
        assertThat(read.flows()).filteredOn(f -> !f.flow().equals(counted))
                .allSatisfy(f -> assertThat(f.packets()).isZero());

        commit(new Mutation.PutHost(Host.of("h2", "172.31.1.12")));
        await().atMost(WAIT).until(() -> reconciler.status("h2").isPresent());
        assertThat(reconciler.readFlows("h2")).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(HostUnreadableException.class)
                .withMessage("host h2 cannot be read: its switch is not connected over OpenFlow");
        assertThat(reconciler.readFlows("h9")).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().withMessage("host h9 cannot be read: no such host");
    }

    @Test
    void withTheAuditsOffAFlowDeletedBehindWeftsBackStaysDeletedAndReadsShowIt() throws Exception {
        reconciler.close();
        reconciler = newReconciler(Duration.ZERO);
        FakeSwitch s1 = startWithC1OnH1();
        FlowKey victim = s1.table.keySet().iterator().next();
        s1.table.remove(victim);

        assertThat(reconciler.readFlows("h1").get(10, TimeUnit.SECONDS).rules())
                .noneMatch(f -> f.key().equals(victim));
        // Fifty audit intervals of the other tests: not one count is read, nothing is repaired.
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> s1.countReads.get() == 0
                && !s1.table.containsKey(victim));
        assertThat(reconciler.status("h1").orElseThrow().driftsRepaired()).isZero();
    }

    // ---- helpers

    private double gauge(String name, String host) {
        return meters.get(name).tag("host", host).gauge().value();
    }

    /** Hosts h1, h2... (one per switch, datapath id = host number), network red, started, switches connected. */
    private void startWithRedOn(FakeSwitch... switches) throws Exception {
        for (FakeSwitch s : switches) {
            commit(new Mutation.PutHost(Host.of("h" + s.dpid, "172.31.1." + (10 + s.dpid))));
        }
        commit(new Mutation.PutNetwork(new Network("red", 256, Encapsulation.VXLAN, 1450,
                List.of(Subnet.of("10.0.0.0/24", "10.0.0.254")))));
        reconciler.start();
        for (FakeSwitch s : switches) {
            reconciler.switchConnected(s);
        }
        await().atMost(WAIT).until(() -> ovsdbs.keySet().containsAll(store.current().hosts().keySet()));
    }

    /** Commits {@code e} and waits until it is installed. */
    private void install(Endpoint e) throws Exception {
        reconciler.awaitInstalled(commit(new Mutation.PutEndpoint(e))).get(10, TimeUnit.SECONDS);
    }

    /** Host h1 and its switch, network red, and c1 on h1 installed. */
    private FakeSwitch startWithC1OnH1() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        startWithRedOn(s1);
        install(endpoint("c1", "h1", "v1", 1));
        return s1;
    }

    private long commit(Mutation... mutations) throws Exception {
        return store.update(state -> List.of(mutations)).revision();
    }

    private static Endpoint endpoint(String name, String host, String port, int n) {
        Ipv4Address ip = Ipv4Address.parse("10.0.0." + n);
        return new Endpoint(new EndpointId("red", name), host, port, MacAddress.fromIpv4(ip), ip);
    }
}
