package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.controller.store.InMemoryStore;
import io.weft.controller.store.Mutation;
import io.weft.controller.store.Store;
import io.weft.flows.NameQueries;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two reconcilers on one store, one set of OVSDBs and two connections to each switch, as two replicas: only the one
 * whose mandate says so writes; a takeover sends nothing for what is right; a refusal from the switch steps it down.
 */
class ReplicasReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Store store = new InMemoryStore();
    private final Map<String, FakeOvsdb> ovsdbs = new ConcurrentHashMap<>();
    private final List<ScheduledExecutorService> loops = new ArrayList<>();
    private final List<Reconciler> reconcilers = new ArrayList<>();

    /** A leadership a test sets by hand; superseded() steps it down as the etcd one does. */
    static final class HandLeadership implements Leadership {
        volatile Mandate mandate;
        final List<String> superseded = new CopyOnWriteArrayList<>();

        HandLeadership(Mandate initial) {
            this.mandate = initial;
        }

        @Override
        public Mandate mandate() {
            return mandate;
        }

        @Override
        public void superseded(String why) {
            superseded.add(why);
            mandate = Mandate.follower(mandate.generation());
        }
    }

    private Reconciler replica(HandLeadership leadership) {
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        loops.add(loop);
        Reconciler r = new Reconciler(store, (host, onChange) -> {
            FakeOvsdb f = ovsdbs.computeIfAbsent(host.name(), n -> new FakeOvsdb(host));
            Runnable before = f.onChange;
            f.onChange = () -> {
                before.run();
                onChange.run();
            };
            return f;
        }, "unix:/run/weft/of.sock", loop, Clock.systemUTC(), new Reconciler.Settings(Duration.ofMillis(50), 4),
                new SimpleMeterRegistry(), leadership);
        reconcilers.add(r);
        return r;
    }

    @AfterEach
    void stop() {
        reconcilers.forEach(Reconciler::close);
        loops.forEach(ScheduledExecutorService::shutdownNow);
    }

    @Test
    void aFollowerWritesNothingAndItsTakeoverSendsNothingForFlowsThatAreRight() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        FakeSwitch s2 = new FakeSwitch(2);
        seed();
        HandLeadership first = new HandLeadership(Mandate.leader(5));
        Reconciler leader = replica(first);
        leader.start();
        leader.switchConnected(s1);
        leader.switchConnected(s2);
        long rev = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)),
                new Mutation.PutEndpoint(endpoint("c2", "h2", "v2", 2)));
        assertThat(leader.awaitInstalled(rev).get(10, TimeUnit.SECONDS).acknowledged())
                .containsExactly("h1", "h2");
        assertThat(s1.roleRequests).containsExactly("MASTER/5");
        assertThat(ovsdbs.get("h1").fences).containsExactly("lead/5");

        HandLeadership second = new HandLeadership(Mandate.follower(5));
        Reconciler follower = replica(second);
        follower.start();
        FakeSwitch s1b = s1.anotherConnection();
        FakeSwitch s2b = s2.anotherConnection();
        follower.switchConnected(s1b);
        follower.switchConnected(s2b);
        int applies = ovsdbs.get("h1").applies.get() + ovsdbs.get("h2").applies.get();

        // An announce while it follows: the leader installs it, the follower's waiter learns it from the switches.
        long next = commit(new Mutation.PutEndpoint(endpoint("c3", "h2", "v3", 3)));
        assertThat(follower.awaitInstalled(next).get(10, TimeUnit.SECONDS).acknowledged())
                .containsExactly("h1", "h2");
        assertThat(s1b.roleRequests).containsExactly("SLAVE/5");
        assertThat(s1b.mods.get() + s2b.mods.get()).as("a follower sends no flow-mod").isZero();
        assertThat(ovsdbs.get("h2").fences).endsWith("follow");

        // The leader dies; the follower takes over: MASTER with its generation, OVSDB taken over, nothing resent.
        leader.close();
        int leaderApplies = ovsdbs.get("h1").applies.get() + ovsdbs.get("h2").applies.get();
        second.mandate = Mandate.leader(9);
        follower.leadershipChanged();
        await().atMost(WAIT).until(() -> s1b.roleRequests.contains("MASTER/9")
                && ovsdbs.get("h2").fences.contains("lead/9"));
        await().atMost(WAIT).until(() -> follower.status("h1").orElseThrow().inSync()
                && follower.status("h2").orElseThrow().inSync());
        assertThat(s1b.mods.get() + s2b.mods.get()).as("a takeover sends nothing for right flows").isZero();
        assertThat(ovsdbs.get("h1").applies.get() + ovsdbs.get("h2").applies.get()).isEqualTo(leaderApplies);
        assertThat(leaderApplies).isGreaterThanOrEqualTo(applies);

        // And it programs what comes next.
        long after = commit(new Mutation.PutEndpoint(endpoint("c4", "h1", "v4", 4)));
        follower.awaitInstalled(after).get(10, TimeUnit.SECONDS);
        assertThat(s1b.mods.get()).isPositive();
    }

    @Test
    void aFollowerLeavesAnEmptySwitchAndBridgeAloneUntilItLeads() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        FakeSwitch s2 = new FakeSwitch(2);
        seed();
        long rev = commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)));
        HandLeadership leadership = new HandLeadership(Mandate.follower(0));
        Reconciler r = replica(leadership);
        r.start();
        r.switchConnected(s1);
        r.switchConnected(s2);
        var installed = r.awaitInstalled(rev);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> s1.mods.get() + s2.mods.get() == 0
                && ovsdbs.values().stream().allMatch(o -> o.applies.get() == 0));
        assertThat(installed).isNotDone();
        assertThat(r.answersSwitches()).isFalse();

        leadership.mandate = Mandate.leader(3);
        r.leadershipChanged();
        assertThat(installed.get(10, TimeUnit.SECONDS).acknowledged()).containsExactly("h1", "h2");
        assertThat(s1.mods.get()).isPositive();
        assertThat(s1.roleRequests).containsExactly("SLAVE/0", "MASTER/3");
        assertThat(s1.meters).as("the DNS meter, sent as master").containsExactly(NameQueries.METER.id());
    }

    @Test
    void theLeaderGivesEveryBridgeEveryLiveReplicasTargetAndDropsOneThatWent() throws Exception {
        seed();
        commit(new Mutation.PutHost(new Host("h3", Ipv4Address.parse("172.31.1.13"),
                io.weft.model.DatapathType.SYSTEM, Optional.empty(), Optional.of("punix:/run/h3/br-int.mgmt"))));
        Reconciler r = replica(new HandLeadership(Mandate.leader(2)));
        r.start();
        r.replicaTargets(List.of("unix:/run/r2.sock", "unix:/run/weft/of.sock", "unix:/run/r3.sock"));
        await().atMost(WAIT).until(() -> ovsdbs.get("h1").lastApplied != null && ovsdbs.get("h1").lastApplied
                .controllerTargets().equals(List.of("unix:/run/r2.sock", "unix:/run/r3.sock",
                        "unix:/run/weft/of.sock")));
        r.replicaTargets(List.of("unix:/run/weft/of.sock", "unix:/run/r3.sock"));
        await().atMost(WAIT).until(() -> ovsdbs.get("h2").lastApplied.controllerTargets()
                .equals(List.of("unix:/run/r3.sock", "unix:/run/weft/of.sock")));
        await().atMost(WAIT).until(() -> ovsdbs.get("h3").lastApplied != null);
        assertThat(ovsdbs.get("h3").lastApplied.controllerTargets()).as("a host with a passive target of its own")
                .containsExactly("punix:/run/h3/br-int.mgmt");
    }

    @Test
    void aNewLeaderReadsEveryPlainSwitchAgainAsAfterARestart() throws Exception {
        FakeSwitch plain = new FakeSwitch(9, Map.of(1L, new io.weft.southbound.PortInfo(1, "s9-eth1",
                MacAddress.parse("02:00:00:00:09:01"), true)));
        HandLeadership leadership = new HandLeadership(Mandate.follower(4));
        Reconciler r = replica(leadership);
        r.start();
        r.switchConnected(plain);
        await().atMost(WAIT).until(() -> plain.reads.get() == 1 && r.plainSwitches().size() == 1);
        assertThat(plain.mods.get()).as("a follower sends a plain switch nothing").isZero();

        leadership.mandate = Mandate.leader(6);
        r.leadershipChanged();
        await().atMost(WAIT).until(() -> plain.reads.get() == 2);
        assertThat(plain.roleRequests).containsExactly("SLAVE/4", "MASTER/6");
    }

    @Test
    void aSwitchThatRefusesItsFlowModsAsASlavesStepsTheLeaderDown() throws Exception {
        FakeSwitch s1 = new FakeSwitch(1);
        seed();
        HandLeadership leadership = new HandLeadership(Mandate.leader(5));
        Reconciler r = replica(leadership);
        r.start();
        r.switchConnected(s1);
        r.awaitInstalled(commit(new Mutation.PutEndpoint(endpoint("c1", "h1", "v1", 1)))).get(10, TimeUnit.SECONDS);

        s1.refuseAsSlave = true; // a newer leader took the switch
        commit(new Mutation.PutEndpoint(endpoint("c2", "h1", "v2", 2)));
        await().atMost(WAIT).until(() -> !leadership.superseded.isEmpty());
        await().atMost(WAIT).until(() -> s1.roleRequests.contains("SLAVE/5"));
        int refused = s1.mods.get();
        commit(new Mutation.PutEndpoint(endpoint("c3", "h1", "v3", 3)));
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> s1.mods.get() == refused);
        assertThat(leadership.superseded.get(0)).contains("IS_SLAVE");
        assertThat(r.answersSwitches()).isFalse();
    }

    private void seed() throws Exception {
        for (int i = 1; i <= 2; i++) {
            commit(new Mutation.PutHost(Host.of("h" + i, "172.31.1." + (10 + i))));
        }
        commit(new Mutation.PutNetwork(new Network("red", 256, Encapsulation.VXLAN, 1450,
                List.of(Subnet.of("10.0.0.0/24", "10.0.0.254")))));
    }

    private long commit(Mutation... mutations) throws Exception {
        return store.update(state -> List.of(mutations)).revision();
    }

    private static Endpoint endpoint(String name, String host, String port, int n) {
        Ipv4Address ip = Ipv4Address.parse("10.0.0." + n);
        return new Endpoint(new EndpointId("red", name), host, port, MacAddress.fromIpv4(ip), ip);
    }
}
