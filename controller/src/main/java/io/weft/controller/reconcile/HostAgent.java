package io.weft.controller.reconcile;

import io.weft.controller.HostStatus;
import io.weft.controller.store.StoreState;
import io.weft.flows.FlowDelta;
import io.weft.model.Endpoint;
import io.weft.model.Host;
import io.weft.model.flow.FlowRule;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one host equal to what Weft wants of it, in two independent passes, each serialised and coalesced by its own
 * {@link CoalescingRunner}:
 * <ul>
 *   <li>the port pass makes br-int hold the host's tunnel and endpoint ports through OVSDB, then publishes how they
 *       are bound on the {@link BindingBoard} (which is what lets flows use them);</li>
 *   <li>the flow pass sends the switch what its {@link FlowLedger} has not acknowledged yet.</li>
 * </ul>
 * A slow OVSDB transaction on one host so never holds up flows, neither its own nor another host's.
 */
final class HostAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HostAgent.class);

    private final String name;
    private final Supplier<EndpointsByHost> intent;
    private final OvsdbSide ovsdb;
    private final List<String> controllerTargets;
    private final Runnable onApplied;
    private final BindingBoard board;
    private final Clock clock;
    private final CoalescingRunner portRunner;
    private final CoalescingRunner flowRunner;
    private final FlowLedger ledger = new FlowLedger();

    private volatile FlowSide flows;
    private volatile boolean needsBaseline = true;
    private volatile Host lastHost;
    private volatile int installedCount;
    private volatile Optional<Instant> lastSync = Optional.empty();
    private volatile Optional<String> portError = Optional.empty();
    private volatile Optional<String> flowError = Optional.empty();
    private volatile PortBindings bindings = PortBindings.NONE;
    /** What the last port pass applied and found; only port passes, which never overlap, touch it. */
    private volatile Applied lastApplied = new Applied(null, null);

    private record Applied(DesiredBridge desired, List<BridgePort> ports) {
    }

    HostAgent(String name, Supplier<EndpointsByHost> intent, OvsdbSide ovsdb, List<String> controllerTargets,
              BindingBoard board, Runnable onApplied, ScheduledExecutorService executor, Clock clock) {
        this.board = board;
        this.name = name;
        this.intent = intent;
        this.ovsdb = ovsdb;
        this.controllerTargets = List.copyOf(controllerTargets);
        this.onApplied = onApplied;
        this.clock = clock;
        Duration min = Duration.ofMillis(200);
        Duration max = Duration.ofSeconds(10);
        this.portRunner = new CoalescingRunner("host " + name + " ports", executor, this::portPass, min, max);
        this.flowRunner = new CoalescingRunner("host " + name + " flows", executor, this::flowPass, min, max);
    }

    String name() {
        return name;
    }

    OvsdbSide ovsdb() {
        return ovsdb;
    }

    /** Asks for a port pass: the intent or the host's OVSDB changed. */
    void requestPorts() {
        portRunner.request();
    }

    /** Hands the host its share of a fabric compiler step. */
    void offer(FlowDelta delta, long generation, long revision) {
        ledger.offer(delta, generation, revision);
        if (!delta.isEmpty()) {
            flowRunner.request();
        }
    }

    /** Whether the agent still needs its {@linkplain #baseline first full set} of flows. */
    boolean needsBaseline() {
        return needsBaseline;
    }

    void baseline(List<FlowRule> flows, long generation, long revision) {
        ledger.baseline(flows, generation, revision);
        needsBaseline = false;
        flowRunner.request();
    }

    void attach(FlowSide side) {
        // Switch first, then forget: a batch still in flight on the old side then cannot count as acknowledged.
        this.flows = side;
        ledger.resync();
        log.info("host {}: OpenFlow connected (datapath {})", name, String.format("%016x", side.datapathId()));
        flowRunner.request();
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

    /** Whether the switch acknowledged every flow change of fabric compiler steps up to {@code generation}. */
    boolean caughtUpTo(long generation) {
        return ledger.caughtUpTo(generation);
    }

    boolean isReachable() {
        return ovsdb.connected();
    }

    List<FlowRule> desiredFlows() {
        return ledger.desired();
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
                lastSync, side == null ? 0 : installedCount, portError.or(() -> flowError), ledger.appliedRevision());
    }

    private CompletionStage<?> portPass() {
        EndpointsByHost index = intent.get();
        StoreState state = index.state();
        Host host = state.hosts().get(name);
        if (host == null || !ovsdb.connected()) {
            return CompletableFuture.completedFuture(null);
        }
        lastHost = host;
        List<BridgePort> before = ovsdb.bridgePorts();
        PortBindings wanted = PortBindings.resolve(state, name, index.on(name), before);
        DesiredBridge desired = new DesiredBridge(DesiredBridge.INTEGRATION_BRIDGE, host.datapathType(),
                controllerTargets, wanted.ports());
        // The bridge as it was after our last apply, and the same wish again: nothing for OVSDB to diff.
        boolean unchanged = desired.equals(lastApplied.desired()) && before == lastApplied.ports();
        CompletableFuture<?> applied = unchanged ? CompletableFuture.completedFuture(null) : ovsdb.apply(desired);
        return applied.thenRun(() -> {
            List<BridgePort> after = ovsdb.bridgePorts();
            lastApplied = new Applied(desired, after);
            PortBindings bound = after == before ? wanted
                    : PortBindings.resolve(state, name, index.on(name), after);
            PortBindings previous = bindings;
            bindings = bound;
            bound.failed().forEach((e, why) -> {
                if (!previous.failed().containsKey(e)) {
                    log.warn("host {}: endpoint {} cannot be bound: {}", name, e.id(), why);
                }
            });
            if (!bound.pending().isEmpty()) {
                log.debug("host {}: waiting for ofports of {}", name, bound.pending().stream().map(Endpoint::id)
                        .toList());
            }
            board.publish(name, bound);
        }).whenComplete((ok, error) -> portError = outcome("ports", error));
    }

    private CompletionStage<?> flowPass() {
        FlowSide side = flows;
        if (side == null) {
            log.debug("host {}: waiting for its OpenFlow connection", name);
            return CompletableFuture.completedFuture(null);
        }
        Optional<FlowLedger.Batch> taken = ledger.take();
        if (taken.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        FlowLedger.Batch batch = taken.get();
        CompletableFuture<FlowSide.FlowChange> sent = batch.full() ? side.apply(batch.flows(), List.of())
                : side.applyChanges(batch.upserts(), batch.removals());
        return sent.handle((change, error) -> {
            if (error != null || flows != side) {
                ledger.failed(batch);
            } else {
                ledger.acknowledged(batch);
                installedCount = batch.desiredCount();
                lastSync = Optional.of(clock.instant());
                if (!change.isEmpty()) {
                    log.info("host {}: {} flows added, {} modified, {} removed in {} ms (revision {})", name,
                            change.added(), change.modified(), change.deleted(), change.micros() / 1000.0,
                            batch.revision());
                }
            }
            flowError = outcome("flows", error);
            onApplied.run();
            if (error != null) {
                throw error instanceof CompletionException c ? c : new CompletionException(error);
            }
            return null;
        });
    }

    private Optional<String> outcome(String what, Throwable error) {
        if (error == null) {
            return Optional.empty();
        }
        log.warn("host {}: {} reconcile failed: {}", name, what, rootMessage(error));
        return Optional.of(what + ": " + rootMessage(error));
    }

    /** Removes what Weft built on this host (its own ports; flows go with the bridge's controller) and stops. */
    CompletableFuture<?> retire() {
        portRunner.close();
        flowRunner.close();
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
        portRunner.close();
        flowRunner.close();
        ovsdb.close();
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
