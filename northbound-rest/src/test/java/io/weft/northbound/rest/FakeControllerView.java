package io.weft.northbound.rest;

import io.weft.controller.store.Store;
import io.weft.controller.store.StoreState;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.HostStatus;
import io.weft.controller.view.InstallProgress;
import io.weft.controller.view.PlainSwitch;
import io.weft.model.EndpointId;
import io.weft.model.flow.FlowRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A controller stand-in: statuses, flows and ofports as the test sets them; installs instantly unless stalled. */
final class FakeControllerView implements ControllerView {

    final Map<String, HostStatus> statuses = new ConcurrentHashMap<>();
    final Map<String, List<FlowRule>> desired = new ConcurrentHashMap<>();
    final Map<String, List<FlowRule>> installed = new ConcurrentHashMap<>();
    final Map<String, Integer> ofports = new ConcurrentHashMap<>();
    /** When the controller saw each endpoint written; unknown endpoints count as written at the revision read. */
    final Map<EndpointId, Long> writtenAt = new ConcurrentHashMap<>();
    volatile List<PlainSwitch> switches = List.of();
    volatile boolean stalled;
    private final Store store;

    FakeControllerView(Store store) {
        this.store = store;
    }

    @Override
    public StoreState intent() {
        return store.current();
    }
    volatile long lastAwaited = -1;

    @Override
    public CompletableFuture<InstallProgress> awaitInstalled(long revision) {
        lastAwaited = revision;
        return stalled ? new CompletableFuture<>() : CompletableFuture.completedFuture(installProgress(revision));
    }

    @Override
    public InstallProgress installProgress(long revision) {
        SortedSet<String> hosts = new TreeSet<>(statuses.keySet());
        return stalled ? new InstallProgress(revision, new TreeSet<>(), new TreeMap<>(Map.of("h1", "installing")))
                : new InstallProgress(revision, hosts, new TreeMap<>());
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
    public List<PlainSwitch> plainSwitches() {
        return switches;
    }

    @Override
    public Optional<Integer> endpointOfport(String host, String port) {
        return Optional.ofNullable(ofports.get(host + "/" + port));
    }
}
