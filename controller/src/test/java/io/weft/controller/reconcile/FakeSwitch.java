package io.weft.controller.reconcile;

import io.weft.model.MacAddress;
import io.weft.model.flow.Action;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.southbound.ApplyResult;
import io.weft.southbound.FlowMod;
import io.weft.southbound.FlowTable;
import io.weft.southbound.FlowTranslator;
import io.weft.southbound.GroupTable;
import io.weft.southbound.OpenFlowVersion;
import io.weft.southbound.UnsupportedByVersionException;
import io.weft.southbound.PortInfo;
import io.weft.southbound.Role;
import io.weft.southbound.SwitchHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFVersion;

/** A switch that keeps a flow table as OVS does and counts what it is sent. */
final class FakeSwitch implements SwitchHandle {
    /** OpenFlow 1.0's translation: the channel checks a 1.0 switch's flows with it before sending. */
    private static final FlowTranslator OF10 = new FlowTranslator(OFFactories.getFactory(OFVersion.OF_10));
    final long dpid;
    final Map<FlowKey, FlowRule> table;
    /** Meters ensured, by id. */
    final List<Long> meters = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Role requests received, e.g. {@code MASTER/5}. */
    final List<String> roleRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** While set, every flow-mod is refused as the switch refuses a slave's (OFPBRC_IS_SLAVE). */
    volatile boolean refuseAsSlave;
    final AtomicInteger mods = new AtomicInteger();
    /** The group table, shared with {@link #anotherConnection}, and every group-mod this connection sent. */
    final Map<Long, io.weft.model.flow.FailoverGroup> groups;
    final List<io.weft.southbound.GroupMod> groupMods = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger reads = new AtomicInteger();
    /** Per-table counts asked for (the audits' cheap check). */
    final AtomicInteger countReads = new AtomicInteger();
    /** What flows matched, as a read reports it (flows absent here: none). */
    final Map<FlowKey, FlowTable.Counters> counters = new ConcurrentHashMap<>();
    /** While set, batches are applied but acknowledged only by {@link #acknowledgeOne}. */
    final AtomicBoolean holdAcks = new AtomicBoolean();
    final BlockingQueue<Runnable> unacknowledged = new LinkedBlockingQueue<>();

    final Map<Long, PortInfo> ports;
    /** What it negotiated: 1.4 unless a test makes it an OpenFlow 1.0 switch. */
    volatile OpenFlowVersion version = OpenFlowVersion.OF_14;
    /** Where packet-outs go: the test's cabling. */
    volatile PacketOutHook onPacketOut = (sw, actions, data) -> { };

    interface PacketOutHook {
        void sent(FakeSwitch from, List<Action> actions, byte[] data);
    }

    /** A host's br-int: one port, named br-int. */
    FakeSwitch(long dpid) {
        this(dpid, Map.of(1L, new PortInfo(1, "br-int", MacAddress.parse("02:00:00:00:00:01"), true)));
    }

    FakeSwitch(long dpid, Map<Long, PortInfo> ports) {
        this(dpid, ports, new ConcurrentHashMap<>(), new java.util.TreeMap<>());
    }

    private FakeSwitch(long dpid, Map<Long, PortInfo> ports, Map<FlowKey, FlowRule> table,
                       Map<Long, io.weft.model.flow.FailoverGroup> groups) {
        this.dpid = dpid;
        this.ports = Map.copyOf(ports);
        this.table = table;
        this.groups = groups;
    }

    /** Another controller's connection to the same switch: the same table, its own counts and role. */
    FakeSwitch anotherConnection() {
        return new FakeSwitch(dpid, ports, table, groups);
    }

    @Override
    public long datapathId() {
        return dpid;
    }

    @Override
    public OpenFlowVersion version() {
        return version;
    }

    @Override
    public boolean atomicUpdates() {
        return version == OpenFlowVersion.OF_14;
    }

    @Override
    public Map<Long, PortInfo> ports() {
        return ports;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public CompletableFuture<ApplyResult> send(List<FlowMod> batch) {
        if (version.singleTable()) {
            // As the channel does, with its check: a flow OpenFlow 1.0 cannot express fails the send, nothing applied.
            try {
                OF10.check(batch);
            } catch (UnsupportedByVersionException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        if (refuseAsSlave) {
            mods.addAndGet(batch.size());
            return CompletableFuture.failedFuture(new io.weft.southbound.ApplyException("refused", List.of(
                    new io.weft.southbound.ApplyException.Rejection(batch.get(0), "BAD_REQUEST/IS_SLAVE")), batch));
        }
        int added = 0;
        int modified = 0;
        int deleted = 0;
        for (FlowMod m : batch) {
            mods.incrementAndGet();
            if (m instanceof FlowMod.AddFlow a) {
                table.put(a.rule().key(), a.rule());
                added++;
            } else if (m instanceof FlowMod.ModifyFlow mod) {
                table.put(mod.rule().key(), mod.rule());
                modified++;
            } else if (m instanceof FlowMod.DeleteFlow d) {
                table.remove(d.rule().key());
                deleted++;
            }
        }
        ApplyResult result = new ApplyResult(added, modified, deleted, Duration.ZERO);
        if (!holdAcks.get()) {
            return CompletableFuture.completedFuture(result);
        }
        CompletableFuture<ApplyResult> ack = new CompletableFuture<>();
        unacknowledged.add(() -> ack.complete(result));
        return ack;
    }

    void acknowledgeOne() throws InterruptedException {
        unacknowledged.take().run();
    }

    @Override
    public CompletableFuture<FlowTable> flows() {
        reads.incrementAndGet();
        return CompletableFuture.completedFuture(new FlowTable(List.copyOf(table.values()), List.of(),
                Map.copyOf(counters)));
    }

    @Override
    public CompletableFuture<Map<Integer, Long>> flowCounts() {
        countReads.incrementAndGet();
        Map<Integer, Long> counts = new TreeMap<>();
        table.keySet().forEach(k -> counts.merge(k.tableId(), 1L, Long::sum));
        return CompletableFuture.completedFuture(counts);
    }

    @Override
    public long flowModsSent() {
        return mods.get();
    }

    @Override
    public CompletableFuture<Void> barrier() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> packetOut(long inPort, List<Action> actions, byte[] data) {
        onPacketOut.sent(this, actions, data);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> ensureMeter(io.weft.model.flow.Meter meter) {
        meters.add(meter.id());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> sendGroups(List<io.weft.southbound.GroupMod> mods) {
        if (version.singleTable()) {
            return CompletableFuture.failedFuture(new UnsupportedByVersionException(version, "groups"));
        }
        synchronized (groups) {
            groupMods.addAll(mods);
            GroupTable next = new GroupTable(new java.util.TreeMap<>(groups), java.util.Set.of()).after(mods);
            groups.clear();
            groups.putAll(next.failover());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<GroupTable> groups() {
        synchronized (groups) {
            return CompletableFuture.completedFuture(GroupTable.of(groups));
        }
    }

    @Override
    public CompletableFuture<Role> setRole(Role role, long generationId) {
        roleRequests.add(role + "/" + generationId);
        return CompletableFuture.completedFuture(role);
    }

    @Override
    public void close() {
    }
}
