package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.controller.plain.PlainFlows;
import io.weft.controller.plain.PortRef;
import io.weft.controller.plain.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.controller.store.InMemoryStore;
import io.weft.controller.view.PlainSwitch;
import io.weft.model.MacAddress;
import io.weft.model.flow.Action;
import io.weft.model.flow.FailoverGroup;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.southbound.OpenFlowVersion;
import io.weft.southbound.PacketIn;
import io.weft.southbound.PortEvent;
import io.weft.southbound.PortInfo;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler with plain switches that keep flow tables as OVS does and are cabled together: a probe sent out of a
 * cabled port comes back as a packet-in from the other end when that switch's flows send LLDP to the controller.
 */
class PlainFabricTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /** A ring: s1 port 1 to s2 port 2, s2 port 1 to s3 port 2, s3 port 1 to s1 port 2; port 3 of each a host's. */
    private static final long[] RING = {1, 2, 3};

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final Map<PortRef, PortRef> cables = new ConcurrentHashMap<>();
    private final Map<Long, FakeSwitch> switches = new ConcurrentHashMap<>();
    private Reconciler reconciler = newReconciler(Duration.ofHours(1));

    private Reconciler newReconciler(Duration auditInterval) {
        Reconciler r = new Reconciler(new InMemoryStore(), (host, onChange) -> {
            throw new AssertionError("no host in these tests");
        }, "unix:/run/weft/of.sock", loop, Clock.systemUTC(), new Reconciler.Settings(auditInterval, 4),
                new SimpleMeterRegistry());
        r.start();
        return r;
    }

    @AfterEach
    void stop() {
        reconciler.close();
        loop.shutdownNow();
    }

    @Test
    void aRingIsDiscoveredAndEverySwitchHoldsExactlyWhatItsTopologyCompilesTo() {
        connectRing();
        awaitRingSettled(0);
        Topology t = reconciler.plainTopology();
        assertThat(t.edgePorts()).containsExactly(new PortRef(1, 3), new PortRef(2, 3), new PortRef(3, 3));
        Map<Long, List<FlowRule>> compiled = PlainFlows.compile(t);
        for (long s : RING) {
            assertThat(Set.copyOf(switches.get(s).table.values())).isEqualTo(Set.copyOf(compiled.get(s)));
        }
    }

    @Test
    void everySwitchHoldsTheFastFailoverGroupsItsFlowsName() {
        connectRing();
        awaitRingSettled(0);
        reconciler.packetIn(3, new PacketIn(0, 0, 3, "NO_MATCH", arpFrom(MacAddress.parse("00:00:00:00:00:03"))));
        awaitRingSettled(1);
        Map<Long, PlainFlows.SwitchState> desired = PlainFlows.desired(reconciler.plainTopology(), Set.of());
        for (long s : RING) {
            FakeSwitch sw = switches.get(s);
            assertThat(Set.copyOf(sw.groups.values())).isEqualTo(Set.copyOf(desired.get(s).groups().values()));
            assertThat(Set.copyOf(sw.table.values())).isEqualTo(Set.copyOf(desired.get(s).flows()));
        }
        // On a ring each switch reaches s3 directly, and around the other way if that link fails.
        FailoverGroup towardS3 = desired.get(1L).groups().get(3L);
        assertThat(towardS3.buckets()).extracting(FailoverGroup.Bucket::watchPort).containsExactly(2L, 1L);
        assertThat(switches.get(1L).table.values()).anySatisfy(f -> assertThat(f.instructions())
                .containsExactly(Instruction.apply(Action.group(towardS3.id()))));
    }

    @Test
    void aRingOfOpenFlow10And13SwitchesIsDiscoveredAndEachGetsItsOwnPipeline() {
        connectRing(Set.of(2L, 3L));
        awaitRingSettled(0);
        reconciler.packetIn(2, new PacketIn(0, 0, 3, "NO_MATCH", arpFrom(MacAddress.parse("00:00:00:00:00:02"))));
        awaitRingSettled(1);
        Map<Long, List<FlowRule>> compiled = PlainFlows.compile(reconciler.plainTopology(), Set.of(2L, 3L));
        for (long s : RING) {
            assertThat(Set.copyOf(switches.get(s).table.values())).isEqualTo(Set.copyOf(compiled.get(s)));
        }
        assertThat(switches.get(1L).table.values()).anyMatch(f -> f.tableId() == PlainFlows.FORWARD_TABLE);
        assertThat(switches.get(2L).table.values()).allMatch(f -> f.tableId() == 0);
    }

    @Test
    void aRestartedControllerRewritesNothingOnOpenFlow10Switches() {
        connectRing(Set.of(1L, 2L, 3L));
        assertARestartRewritesNothing();
    }

    @Test
    void aHostIsLearnedFromItsFirstPacketAndEverySwitchForwardsToIt() {
        connectRing();
        awaitRingSettled(0);
        MacAddress h1 = MacAddress.parse("00:00:00:00:00:01");
        reconciler.packetIn(1, new PacketIn(0, 0, 3, "NO_MATCH", arpFrom(h1)));
        awaitRingSettled(1);
        assertThat(reconciler.plainTopology().host(h1).orElseThrow().at()).isEqualTo(new PortRef(1, 3));
        for (long s : RING) {
            assertThat(switches.get(s).table.values()).as("switch %d forwards to h1", s).anySatisfy(f ->
                    assertThat(f.match().get(Field.ETH_DST)).hasValueSatisfying(m ->
                            assertThat(m.value()).isEqualTo(h1.bits())));
        }
    }

    @Test
    void aLinkGoingDownLeavesTheTopologyAndTheOthersCarryTheFlooding() {
        connectRing();
        awaitRingSettled(0);
        reconciler.portStatus(1, new PortEvent(PortEvent.Type.MODIFIED,
                new PortInfo(1, "s1-eth1", MacAddress.parse("02:00:00:00:01:01"), false)));
        await().atMost(WAIT).until(() -> reconciler.plainTopology().links().size() == 2
                && reconciler.plainSwitches().stream().allMatch(PlainSwitch::inSync));
        Topology t = reconciler.plainTopology();
        assertThat(Set.copyOf(switches.get(1L).table.values())).isEqualTo(Set.copyOf(PlainFlows.compile(t).get(1L)));
        assertThat(switches.get(1L).table.values()).as("nothing is flooded out of the port that went down")
                .noneSatisfy(f -> assertThat(f.toString()).contains("output:1"));
    }

    @Test
    void aRestartedControllerFindsTheSameTopologyAndRewritesNothing() {
        connectRing();
        assertARestartRewritesNothing();
    }

    /** With a host learned on the connected ring: a new controller finds it all again and sends nothing. */
    private void assertARestartRewritesNothing() {
        awaitRingSettled(0);
        reconciler.packetIn(2, new PacketIn(0, 0, 3, "NO_MATCH", arpFrom(MacAddress.parse("00:00:00:00:00:02"))));
        awaitRingSettled(1);
        Map<Long, Map<FlowKey, FlowRule>> before = new HashMap<>();
        switches.forEach((dpid, w) -> before.put(dpid, Map.copyOf(w.table)));

        reconciler.close();
        reconciler = newReconciler(Duration.ofHours(1));
        switches.values().forEach(w -> w.mods.set(0));
        switches.values().forEach(w -> w.groupMods.clear());
        switches.values().forEach(reconciler::switchConnected);
        awaitRingSettled(1);
        switches.forEach((dpid, w) -> {
            assertThat(w.mods.get()).as("flow-mods to switch %d after the restart", dpid).isZero();
            assertThat(w.groupMods).as("group-mods to switch %d after the restart", dpid).isEmpty();
            assertThat(w.table).isEqualTo(before.get(dpid));
        });
    }

    @Test
    void aFlowDeletedBehindWeftsBackIsPutBack() {
        FakeSwitch s2 = auditedRingSettled();
        Map<FlowKey, FlowRule> before = Map.copyOf(s2.table);
        FlowKey lldp = before.keySet().stream().filter(k -> k.priority() == 1000).findFirst().orElseThrow();
        s2.table.remove(lldp);
        await().atMost(WAIT).until(() -> s2.table.containsKey(lldp));
        assertThat(s2.table).isEqualTo(before);
    }

    @Test
    void groupsDeletedOrChangedBehindWeftsBackArePutBackByTheAudit() {
        FakeSwitch s2 = auditedRingSettled();
        Map<Long, FailoverGroup> before = Map.copyOf(s2.groups);
        assertThat(before).hasSize(2);
        FailoverGroup[] held = before.values().toArray(FailoverGroup[]::new);
        synchronized (s2.groups) {
            s2.groups.remove(held[0].id());                                     // as ovs-ofctl del-groups would
            s2.groups.put(held[1].id(), new FailoverGroup(held[1].id(),         // and mod-group, its buckets swapped
                    List.of(held[1].buckets().get(1), held[1].buckets().get(0))));
        }
        await().atMost(WAIT).until(() -> {
            synchronized (s2.groups) {
                return s2.groups.equals(before);
            }
        });
    }

    @Test
    void withTheAuditsOffAGroupDeletedBehindWeftsBackStaysDeletedAndNoCountIsRead() {
        reconciler.close();
        reconciler = newReconciler(Duration.ZERO);
        connectRing();
        awaitRingSettled(0);
        FakeSwitch s2 = switches.get(2L);
        long victim;
        synchronized (s2.groups) {
            victim = s2.groups.keySet().iterator().next();
            s2.groups.remove(victim);
        }
        // Longer than the loop's housekeeping period (the default audit interval), which runs with audits off too.
        await().during(Reconciler.Settings.DEFAULTS.auditInterval().plusMillis(500)).atMost(WAIT).until(() -> {
            synchronized (s2.groups) {
                return !s2.groups.containsKey(victim)
                        && switches.values().stream().allMatch(s -> s.countReads.get() == 0);
            }
        });
    }

    /** The ring under a reconciler that audits every 50 ms, settled; its switch 2. */
    private FakeSwitch auditedRingSettled() {
        reconciler.close();
        reconciler = newReconciler(Duration.ofMillis(50));
        connectRing();
        awaitRingSettled(0);
        return switches.get(2L);
    }

    private void connectRing() {
        connectRing(Set.of());
    }

    /** The ring, with the switches in {@code openflow10} speaking only OpenFlow 1.0. */
    private void connectRing(Set<Long> openflow10) {
        for (int i = 0; i < RING.length; i++) {
            long s = RING[i];
            long next = RING[(i + 1) % RING.length];
            cables.put(new PortRef(s, 1), new PortRef(next, 2));
            cables.put(new PortRef(next, 2), new PortRef(s, 1));
            FakeSwitch sw = wired(s, 3);
            if (openflow10.contains(s)) {
                sw.version = OpenFlowVersion.OF_10;
            }
            switches.put(s, sw);
        }
        switches.values().forEach(reconciler::switchConnected);
    }

    private void awaitRingSettled(int hosts) {
        await().atMost(WAIT).until(() -> {
            Topology t = reconciler.plainTopology();
            return t.links().size() == 3 && t.probing().isEmpty() && t.hosts().size() == hosts
                    && reconciler.plainSwitches().size() == 3
                    && reconciler.plainSwitches().stream().allMatch(PlainSwitch::inSync);
        });
    }

    private static byte[] arpFrom(MacAddress mac) {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.putShort((short) 0xffff).putInt(-1);
        b.putShort((short) (mac.bits() >>> 32)).putInt((int) mac.bits());
        b.putShort((short) 0x0806);
        return b.array();
    }

    /** A switch of the ring: port P named sD-ethP; a packet-out on a cabled port reaches the other end. */
    private FakeSwitch wired(long dpid, int portCount) {
        Map<Long, PortInfo> ports = new TreeMap<>();
        for (long p = 1; p <= portCount; p++) {
            ports.put(p, new PortInfo(p, "s" + dpid + "-eth" + p, new MacAddress(0x0200_0000_0000L | dpid << 8 | p),
                    true));
        }
        FakeSwitch sw = new FakeSwitch(dpid, ports);
        sw.onPacketOut = (from, actions, data) -> {
            for (Action a : actions) {
                PortRef peer = cables.get(new PortRef(from.dpid, ((Action.Output) a).port()));
                FakeSwitch other = peer == null ? null : switches.get(peer.dpid());
                if (other != null && reportsLldp(other)) {
                    reconciler.packetIn(peer.dpid(), new PacketIn(0, 0, peer.port(), "ACTION", data));
                }
            }
        };
        return sw;
    }

    /** Whether the switch's flows send LLDP to the controller (else a probe arriving there is dropped). */
    private static boolean reportsLldp(FakeSwitch sw) {
        return sw.table.values().stream().anyMatch(f -> f.match().get(Field.ETH_TYPE)
                .filter(m -> m.value() == PlainFlows.ETH_TYPE_LLDP).isPresent());
    }
}
