package io.weft.controller.reconcile;

import io.weft.controller.HostStatus;
import io.weft.controller.store.StoreState;
import io.weft.flows.FlowCompiler;
import io.weft.flows.HostFlows;
import io.weft.model.Endpoint;
import io.weft.model.Host;
import io.weft.model.flow.FlowRule;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one host equal to the intent: ports through OVSDB first, then flows through OpenFlow once the ports have
 * numbers. Passes are serialised and coalesced by a {@link CoalescingRunner}.
 */
final class HostAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HostAgent.class);

    private final String name;
    private final Supplier<StoreState> intent;
    private final OvsdbSide ovsdb;
    private final List<String> controllerTargets;
    private final LongConsumer onApplied;
    private final BindingBoard board;
    private final Clock clock;
    private final CoalescingRunner runner;

    private volatile FlowSide flows;
    /** What {@link #flows} acknowledged from our last apply; null when unknown (new connection, failure). */
    private volatile List<FlowRule> acknowledged;
    private volatile Host lastHost;
    private volatile List<FlowRule> desiredFlows = List.of();
    private volatile long appliedRevision;
    private volatile long appliedEpoch = -1;
    /** Flows the switch acknowledged in the last apply; status reads this rather than copying the programmer's view. */
    private volatile int installedCount;
    private volatile Optional<Instant> lastSync = Optional.empty();
    private volatile Optional<String> lastError = Optional.empty();
    private volatile PortBindings bindings = new PortBindings(List.of(), Map.of(), List.of(), Map.of());

    HostAgent(String name, Supplier<StoreState> intent, OvsdbSide ovsdb, List<String> controllerTargets,
              BindingBoard board, LongConsumer onApplied, ScheduledExecutorService executor, Clock clock) {
        this.board = board;
        this.name = name;
        this.intent = intent;
        this.ovsdb = ovsdb;
        this.controllerTargets = List.copyOf(controllerTargets);
        this.onApplied = onApplied;
        this.clock = clock;
        this.runner = new CoalescingRunner("host " + name, executor, this::pass,
                Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    String name() {
        return name;
    }

    OvsdbSide ovsdb() {
        return ovsdb;
    }

    void request() {
        runner.request();
    }

    void attach(FlowSide side) {
        // Switch first, then forget: an apply still in flight on the old side then cannot record its flows as ours.
        this.flows = side;
        this.acknowledged = null;
        log.info("host {}: OpenFlow connected (datapath {})", name, String.format("%016x", side.datapathId()));
        request();
    }

    void detach(long datapathId) {
        FlowSide current = flows;
        if (current != null && current.datapathId() == datapathId) {
            flows = null;
            log.warn("host {}: OpenFlow disconnected; its flows stay on the switch until it reconnects", name);
        }
    }

    FlowSide flowSide() {
        return flows;
    }

    long appliedRevision() {
        return appliedRevision;
    }

    /** The binding epoch (see {@link BindingBoard}) the host's installed flows were compiled with. */
    long appliedEpoch() {
        return appliedEpoch;
    }

    boolean isReachable() {
        return ovsdb.connected();
    }

    List<FlowRule> desiredFlows() {
        return desiredFlows;
    }

    List<FlowRule> installedFlows() {
        FlowSide side = flows;
        return side == null ? List.of() : side.installedFlows();
    }

    PortBindings bindings() {
        return bindings;
    }

    HostStatus status() {
        FlowSide side = flows;
        return new HostStatus(name, ovsdb.connected(), side != null,
                ovsdb.datapathId().map(d -> String.format("%016x", d)),
                bindings.ports().stream().filter(p -> !p.type().isEmpty()).map(DesiredPort::name).toList(),
                lastSync, side == null ? 0 : installedCount, lastError, appliedRevision);
    }

    private CompletionStage<?> pass() {
        StoreState state = intent.get();
        Host host = state.hosts().get(name);
        if (host == null || !ovsdb.connected()) {
            return CompletableFuture.completedFuture(null);
        }
        lastHost = host;
        PortBindings before = PortBindings.resolve(state, name, ovsdb.bridgePorts());
        DesiredBridge desired = new DesiredBridge(DesiredBridge.INTEGRATION_BRIDGE, host.datapathType(),
                controllerTargets, before.ports());
        return ovsdb.apply(desired)
                .thenCompose(ignored -> installFlows(state))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        lastError = Optional.of(rootMessage(error));
                        log.warn("host {}: reconcile failed: {}", name, rootMessage(error));
                    }
                });
    }

    private CompletionStage<?> installFlows(StoreState state) {
        PortBindings bound = PortBindings.resolve(state, name, ovsdb.bridgePorts());
        bindings = bound;
        bound.failed().forEach((e, why) -> log.warn("host {}: endpoint {} cannot be bound: {}", name, e.id(), why));
        // Publish our bindings first, then read the epoch, then everyone's ports: any later change bumps the epoch
        // and asks for another pass, so flows compiled here are never taken for newer than they are.
        board.publish(name, bound.boundEndpointPorts(state, name));
        long epoch = board.epoch();
        Map<String, Map<String, Integer>> ofports = new java.util.HashMap<>(board.ofports());
        ofports.put(name, bound.ofports());
        HostFlows compiled = FlowCompiler.compile(state.toSnapshot(ofports), name);
        desiredFlows = compiled.flows();
        FlowSide side = flows;
        if (side == null) {
            log.debug("host {}: waiting for its OpenFlow connection", name);
            return CompletableFuture.completedFuture(null);
        }
        List<FlowRule> previous = acknowledged;
        CompletableFuture<FlowSide.FlowChange> sent;
        if (previous == null || !compiled.groups().isEmpty()) {
            sent = side.apply(compiled.flows(), compiled.groups());
        } else {
            FlowDiff diff = FlowDiff.between(previous, compiled.flows());
            sent = diff.isEmpty() ? CompletableFuture.completedFuture(new FlowSide.FlowChange(0, 0, 0, 0))
                    : side.applyChanges(diff.upserts(), diff.removals());
        }
        acknowledged = null;
        return sent.thenAccept(change -> {
            if (flows == side) {
                acknowledged = compiled.flows();
            }
            lastSync = Optional.of(clock.instant());
            lastError = Optional.empty();
            installedCount = compiled.flows().size();
            if (!change.isEmpty()) {
                log.info("host {}: {} flows added, {} modified, {} removed in {} ms (revision {})", name,
                        change.added(), change.modified(), change.deleted(), change.micros() / 1000.0,
                        state.revision());
            }
            if (bound.pending().isEmpty()) {
                appliedRevision = Math.max(appliedRevision, state.revision());
                appliedEpoch = epoch;
                onApplied.accept(appliedRevision);
            } else {
                log.debug("host {}: waiting for ofports of {}", name,
                        bound.pending().stream().map(Endpoint::id).toList());
            }
        });
    }

    /** Removes what Weft built on this host (its own ports; flows go with the bridge's controller) and stops. */
    CompletableFuture<?> retire() {
        runner.close();
        Host host = lastHost;
        if (host == null || !ovsdb.connected()) {
            ovsdb.close();
            return CompletableFuture.completedFuture(null);
        }
        DesiredBridge empty = new DesiredBridge(DesiredBridge.INTEGRATION_BRIDGE, host.datapathType(),
                controllerTargets, List.of());
        return ovsdb.apply(empty).whenComplete((ok, error) -> ovsdb.close());
    }

    @Override
    public void close() {
        runner.close();
        ovsdb.close();
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
