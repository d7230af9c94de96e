package io.weft.controller.reconcile;

import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.EventPublisher;
import io.weft.controller.view.HostStatus;
import io.weft.southbound.ApplyResult;
import io.weft.southbound.FlowTable;
import io.weft.southbound.SwitchFlows;
import io.weft.southbound.SwitchHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import io.weft.southbound.ApplyException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenFlow half of keeping hosts in step: reads a switch's table when what it holds is unknown, sends the next
 * batch of its {@link SwitchFlows}, records what the switch acknowledged, and audits idle switches for flows changed
 * behind Weft's back: per-table flow counts each time, the whole table now and then (a changed flow leaves the
 * counts as they were). Runs on the reconciler's thread.
 */
final class FlowSync {

    private static final Logger log = LoggerFactory.getLogger(FlowSync.class);
    /** How often a follower reads a switch that differs from what it computed (the leader is installing). */
    static final Duration OBSERVE_EVERY = Duration.ofMillis(200);

    private final FabricCompiler compiler;
    private final Loop loop;
    private final Clock clock;
    private final int fullReadEvery;
    private final EventPublisher events;
    private final Consumer<String> superseded;

    /**
     * @param fullReadEvery every how many audits a switch's whole table is read and compared
     * @param superseded    told when a switch refuses this replica's flow-mods as not its master's
     */
    FlowSync(FabricCompiler compiler, Loop loop, Clock clock, int fullReadEvery, EventPublisher events,
             Consumer<String> superseded) {
        this.superseded = superseded;
        this.compiler = compiler;
        this.loop = loop;
        this.clock = clock;
        this.fullReadEvery = fullReadEvery;
        this.events = events;
    }

    /**
     * Reads {@code h}'s table if what its switch holds is unknown. It needs no compiled flows, so it is asked before
     * the compiler runs: the switch and the event loop read while the reconciler compiles.
     */
    void readIfUnknown(HostState h, Instant now) {
        SwitchHandle sw = h.sw;
        if (sw != null && !h.reading && h.flows.needsRead() && !h.flowSends.waiting(now)) {
            read(h, sw, false);
        }
    }

    /** Sends {@code h}'s next batch computed at {@code generation}, once its flows are compiled and its table read. */
    void send(HostState h, Instant now, long generation, long revision) {
        SwitchHandle sw = h.sw;
        if (sw == null || !h.baselined) {
            return;
        }
        if (h.flows.inStep()) {
            h.appliedRevision = revision; // desired was compiled from this revision, and the switch holds all of it
        }
        if (h.reading || h.flows.needsRead() || h.flowSends.waiting(now)) {
            return;
        }
        Optional<SwitchFlows.Batch> batch = h.flows.next(generation);
        if (batch.isPresent()) {
            long started = System.nanoTime();
            sw.send(batch.get().mods()).whenComplete((result, error) -> loop.run(() ->
                    sent(h, sw, batch.get(), revision, result, error, started)));
            h.meters.flowModsSent(batch.get().mods().size());
        } else if (h.flows.inStep()) {
            h.appliedRevision = revision;
        }
    }

    /** @param revision the intent revision the batch was computed from: acknowledged, the switch holds it */
    private void sent(HostState h, SwitchHandle sw, SwitchFlows.Batch batch, long revision, ApplyResult result,
                      Throwable error, long started) {
        if (h.retired) {
            return;
        }
        if (error != null) {
            h.flows.failed(batch);
            if (Reconciler.rootCause(error) instanceof ApplyException refused && refused.notMaster()) {
                // Another replica is master of this switch: nothing to retry, this replica steps down.
                superseded.accept("host " + h.name + ": " + refused.getMessage());
                loop.stepAfter(Duration.ZERO);
                return;
            }
            loop.stepAfter(h.flowSends.failed(h.name, error, clock.instant(), events));
            return;
        }
        if (h.flows.acknowledged(batch)) {
            h.appliedRevision = Math.max(h.appliedRevision, revision);
        }
        h.flowSends.succeeded();
        Instant now = clock.instant();
        h.lastSync = Optional.of(now);
        if (h.sw == sw && !result.unchanged()) {
            double ms = (System.nanoTime() - started) / 100_000 / 10.0;
            log.info("host {}: {} flows added, {} modified, {} removed in {} ms", h.name, result.added(),
                    result.modified(), result.deleted(), ms);
            events.publish(new ControllerEvent.FlowsInstalled(now, h.name, revision,
                    result.added() + result.modified() + result.deleted(), h.flows.installedCount(), ms));
        }
        if (h.driftRepairing.isPresent() && h.flows.inStep()) {
            events.publish(new ControllerEvent.DriftRepaired(now, h.name, h.driftRepairing.get()));
            h.driftRepairing = Optional.empty();
        }
    }

    private void read(HostState h, SwitchHandle sw, boolean audit) {
        h.reading = true;
        if (!audit) {
            h.firstSync.readSent(System.nanoTime());
        }
        int epoch = h.readEpoch;
        sw.flows().whenComplete((table, error) -> loop.run(() -> {
            if (h.readEpoch == epoch) {
                read(h, sw, table, error, audit);
            }
        }));
    }

    /**
     * A follower's view of {@code h}'s switch: read again, at most every {@link #OBSERVE_EVERY}, while it differs
     * from what this replica computed, so that waiters here learn what the leader installed; nothing is sent.
     */
    void observe(HostState h, Instant now, long revision) {
        SwitchHandle sw = h.sw;
        if (sw == null || !h.baselined) {
            return;
        }
        if (h.flows.inStep()) {
            h.appliedRevision = revision; // what it computed from this revision is what the switch holds
            return;
        }
        if (!h.reading && !now.isBefore(h.nextObserve)) {
            h.nextObserve = now.plus(OBSERVE_EVERY);
            read(h, sw, false);
            loop.stepAfter(OBSERVE_EVERY);
        }
    }

    /** A follower's audit: when an idle switch's counts moved (the leader changed it), it is read again. */
    void followerAudit(HostState h) {
        SwitchHandle sw = h.sw;
        if (sw == null || h.reading || !h.flows.inStep()) {
            return;
        }
        Map<Integer, Long> expected = h.flows.expectedCounts();
        sw.flowCounts().whenComplete((counts, error) -> loop.run(() -> {
            if (error == null && h.sw == sw && !h.reading && h.flows.inStep() && !counts.equals(expected)) {
                h.flows.reconnected();
            }
        }));
    }

    /** This replica takes the switches over: reads in flight count for nothing, each table is read afresh. */
    void takeOver(HostState h) {
        h.readEpoch++;
        h.reading = false;
        h.flows.reconnected();
    }

    /**
     * Takes {@code table}, a read of {@code h}'s switch asked for when it connected (at {@code sentNanos}, before the
     * switch was known to be {@code h}'s), as the read of what the switch holds: nothing was sent on that connection
     * before it.
     */
    void adopt(HostState h, SwitchHandle sw, CompletableFuture<FlowTable> table, long sentNanos) {
        h.reading = true;
        h.firstSync.readSent(sentNanos);
        int epoch = h.readEpoch;
        table.whenComplete((t, error) -> loop.run(() -> {
            if (h.readEpoch == epoch) {
                read(h, sw, t, error, false);
            }
        }));
    }

    private void read(HostState h, SwitchHandle sw, FlowTable table, Throwable error, boolean audit) {
        if (h.retired || h.sw != sw) {
            return;
        }
        h.reading = false;
        if (error != null) {
            loop.stepAfter(h.flowSends.failed(h.name, error, clock.instant(), events));
        } else if (!audit) {
            h.firstSync.readDone(System.nanoTime(), table.flows().size() + table.foreign().size());
            h.flows.loaded(table);
        } else {
            SwitchFlows.Drift drift = h.flows.audit(table);
            if (!drift.isEmpty()) {
                h.driftsRepaired++;
                h.lastDrift = Optional.of(new HostStatus.Drift(clock.instant(), drift.toString()));
                h.driftRepairing = Optional.of(drift.toString());
                h.changed(compiler.generation());
                log.warn("host {}: its switch's flows were changed outside Weft ({}); repairing", h.name, drift);
            }
        }
    }

    /** Compares an idle switch's flow counts (or, now and then, its whole table) with what it acknowledged. */
    void audit(HostState h) {
        SwitchHandle sw = h.sw;
        if (sw == null || h.reading || !h.flows.inStep()) {
            return;
        }
        if (++h.auditsSinceFullRead >= fullReadEvery) {
            h.auditsSinceFullRead = 0;
            read(h, sw, true);
            return;
        }
        Map<Integer, Long> expected = h.flows.expectedCounts();
        sw.flowCounts().whenComplete((counts, error) -> loop.run(() -> {
            if (error == null && h.sw == sw && !h.reading && h.flows.inStep() && !counts.equals(expected)) {
                read(h, sw, true);
            }
        }));
    }
}
