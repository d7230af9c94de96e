package io.weft.northbound.rest;

import io.weft.controller.events.EventBus;
import io.weft.controller.events.EventSubscription;
import io.weft.controller.store.Store;
import io.weft.controller.store.StoreState;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.HostStatus;
import io.weft.controller.view.HostUnreadableException;
import io.weft.controller.view.SwitchReading;
import io.weft.model.NetworkSnapshot;
import java.time.Instant;
import io.weft.controller.view.InstallProgress;
import io.weft.controller.plain.Topology;
import io.weft.controller.view.PlainSwitch;
import io.weft.model.EndpointId;
import io.weft.model.flow.FlowRule;
import java.util.List;
import java.util.Map;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A controller stand-in: statuses, flows and ofports as the test sets them. Installs instantly on every host with a
 * status, except hosts marked {@link #unreachable} (pending, with the reason given, as the controller reports a host
 * it cannot reach); while {@link #stalled}, waits complete only on {@link #release()}.
 */
public final class FakeControllerView implements ControllerView {

    final Map<String, HostStatus> statuses = new ConcurrentHashMap<>();
    final Map<String, List<FlowRule>> desired = new ConcurrentHashMap<>();
    final Map<String, List<FlowRule>> installed = new ConcurrentHashMap<>();
    final Map<String, Integer> ofports = new ConcurrentHashMap<>();
    /** Packets each installed flow matched, as a read reports them (bytes: 100 per packet); absent: none. */
    final Map<FlowRule, Long> counted = new ConcurrentHashMap<>();
    /** When the controller saw each endpoint written; unknown endpoints count as written at the revision read. */
    final Map<EndpointId, Long> writtenAt = new ConcurrentHashMap<>();
    /** Hosts that cannot acknowledge anything, and why. */
    final Map<String, String> unreachable = new ConcurrentHashMap<>();
    /** The waits handed out while stalled and not released yet. */
    public final Queue<Wait> waits = new ConcurrentLinkedQueue<>();
    volatile List<PlainSwitch> switches = List.of();
    volatile Topology topology = Topology.EMPTY;
    public volatile boolean stalled;
    /** The events the test publishes, as the controller's loop would. */
    public final EventBus events = EventBus.startingNow(Clock.systemUTC());
    volatile long lastAwaited = -1;
    private final Store store;

    FakeControllerView(Store store) {
        this.store = store;
    }

    @Override
    public StoreState intent() {
        return store.current();
    }

    @Override
    public CompletableFuture<InstallProgress> awaitInstalled(long revision) {
        lastAwaited = revision;
        if (!stalled) {
            return CompletableFuture.completedFuture(installProgress(revision));
        }
        Wait wait = new Wait(revision, new CompletableFuture<>());
        waits.add(wait);
        return wait.future();
    }

    public record Wait(long revision, CompletableFuture<InstallProgress> future) {
    }

    /** Stops stalling and completes every wait handed out so far, as installed. */
    public void release() {
        stalled = false;
        for (Wait w; (w = waits.poll()) != null; ) {
            w.future().complete(installProgress(w.revision()));
        }
    }

    @Override
    public InstallProgress installProgress(long revision) {
        SortedSet<String> acknowledged = new TreeSet<>(statuses.keySet());
        SortedMap<String, String> pending = new TreeMap<>(unreachable);
        acknowledged.removeAll(pending.keySet());
        if (stalled) {
            pending.put("h1", "installing");
            acknowledged.remove("h1");
        }
        return new InstallProgress(revision, acknowledged, pending);
    }

    @Override
    public Optional<HostStatus> status(String host) {
        return Optional.ofNullable(statuses.get(host));
    }

    @Override
    public long endpointWrittenAt(EndpointId id, long seenAt) {
        return writtenAt.getOrDefault(id, seenAt);
    }

    @Override
    public List<FlowRule> desiredFlows(String host) {
        return desired.getOrDefault(host, List.of());
    }

    @Override
    public List<FlowRule> installedFlows(String host) {
        return installed.getOrDefault(host, List.of());
    }

    @Override
    public CompletableFuture<SwitchReading> readFlows(String host) {
        if (!statuses.containsKey(host) || unreachable.containsKey(host)) {
            return CompletableFuture.failedFuture(new HostUnreadableException(host,
                    unreachable.getOrDefault(host, "no such host")));
        }
        return CompletableFuture.completedFuture(new SwitchReading(host, Instant.EPOCH,
                installed.getOrDefault(host, List.of()).stream()
                        .map(f -> new SwitchReading.CountedFlow(f, counted.getOrDefault(f, 0L),
                                counted.getOrDefault(f, 0L) * 100)).toList(), 0));
    }

    @Override
    public NetworkSnapshot snapshot() {
        Map<String, Map<String, Integer>> byHost = new java.util.HashMap<>();
        ofports.forEach((hostPort, ofport) -> byHost.computeIfAbsent(hostPort.substring(0, hostPort.indexOf('/')),
                h -> new java.util.HashMap<>()).put(hostPort.substring(hostPort.indexOf('/') + 1), ofport));
        return store.current().toSnapshot(byHost);
    }

    @Override
    public List<PlainSwitch> plainSwitches() {
        return switches;
    }

    @Override
    public Topology plainTopology() {
        return topology;
    }

    @Override
    public Optional<Integer> endpointOfport(String host, String port) {
        return Optional.ofNullable(ofports.get(host + "/" + port));
    }

    @Override
    public EventSubscription subscribe(OptionalLong after) {
        return events.subscribe(after);
    }
}
