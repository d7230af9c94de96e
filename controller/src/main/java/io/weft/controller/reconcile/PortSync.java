package io.weft.controller.reconcile;

import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.EventPublisher;
import io.weft.controller.store.StoreState;
import io.weft.model.EndpointId;
import io.weft.model.ovs.DesiredBridge;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import io.weft.ovsdb.FencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OVSDB half of keeping hosts in step: each host's port plan (what br-int must hold, the ofports its flows
 * use), the transaction that makes the bridge so, and its confirmation. Ofports that move go to the compiler.
 * Runs on the reconciler's thread.
 */
final class PortSync {

    private static final Logger log = LoggerFactory.getLogger(PortSync.class);

    private final FabricCompiler compiler;
    private final Loop loop;
    private final Clock clock;
    private final EventPublisher events;
    private final Consumer<String> superseded;

    /** @param superseded told when a host's OVSDB is held by a newer leader than this replica */
    PortSync(FabricCompiler compiler, Loop loop, Clock clock, EventPublisher events, Consumer<String> superseded) {
        this.superseded = superseded;
        this.compiler = compiler;
        this.loop = loop;
        this.clock = clock;
        this.events = events;
    }

    /** A new plan for {@code h} if its intent or OVSDB cache changed and its cache can be read. */
    void plan(HostState h, StoreState intent) {
        if (!h.replan || !h.ovsdb.connected()) {
            return;
        }
        h.replan = false;
        BridgePlan before = h.plan;
        BridgePlan plan = h.replanAll
                ? BridgePlan.of(h.host, intent.hosts().values(), intent.index().on(h.name), h.ovsdb.bridgePorts(),
                        h.controllerTargets, before)
                : BridgePlan.update(before, h.host, intent.hosts().values(), intent.index(), h.touchedPorts,
                        h.ovsdb.bridgePorts(), h.controllerTargets);
        h.replanAll = false;
        h.touchedPorts.clear();
        h.plan = plan;
        if (before == BridgePlan.NONE) {
            h.firstSync.ovsdbRead(System.nanoTime());
        }
        if (plan.failed() != before.failed()) {
            plan.failed().forEach((id, why) -> {
                if (!before.failed().containsKey(id)) {
                    log.warn("host {}: endpoint {} cannot be bound: {}", h.name, id, why);
                    events.publish(new ControllerEvent.Failure(clock.instant(), Optional.of(h.name),
                            "endpoint " + id + " cannot be bound: " + why));
                }
            });
        }
        if (plan.bridge() != before.bridge() && !plan.bridge().equals(before.bridge())) {
            h.portsChangedAt = compiler.generation() + 1;
            h.changed(h.portsChangedAt);
        }
        if (!plan.moved().isEmpty()) {
            if (h.baselined) {
                moved(h, before, plan, intent);
            } else {
                // Its full flows are compiled in this step, with these ofports: no change to compute.
                compiler.portsChanged(h.name, plan.ofports(), Set.of(), false);
            }
        }
    }

    /**
     * Tells the compiler which endpoints of {@code h} got another ofport, and whether a tunnel did; a port whose
     * endpoint is gone from the intent matters to no flow.
     */
    private void moved(HostState h, BridgePlan was, BridgePlan now, StoreState intent) {
        Set<String> tunnelNames = new HashSet<>();
        for (BridgePlan p : List.of(was, now)) {
            p.tunnels().forEach(d -> tunnelNames.add(d.name()));
        }
        Set<EndpointId> rebound = new HashSet<>();
        boolean tunnels = false;
        for (String port : now.moved()) {
            Optional<EndpointId> id = intent.index().at(h.name, port);
            if (id.isPresent()) {
                rebound.add(id.get());
            } else if (tunnelNames.contains(port)) {
                tunnels = true;
            }
        }
        compiler.portsChanged(h.name, now.ofports(), rebound, tunnels);
    }

    /** Sends {@code h}'s bridge to OVSDB when it differs from what was last applied and nothing is on its way. */
    void send(HostState h, Instant now) {
        DesiredBridge want = h.plan.bridge();
        if (want == null || h.applying != null || h.ports.waiting(now)) {
            return;
        }
        long generation = compiler.generation();
        if (want == h.applied || want.equals(h.applied)) {
            h.applied = want; // the same ports: compared by identity from now on
            h.portsAppliedThrough = Math.max(h.portsAppliedThrough, generation);
            return;
        }
        h.applying = want;
        h.ovsdb.apply(want).whenComplete((ok, error) -> loop.run(() -> applied(h, want, generation, error)));
    }

    /**
     * A follower's view of {@code h}'s bridge: confirmed once the cache shows it as planned (the leader made it so),
     * so that waiters on this replica learn it without a transaction.
     */
    void observe(HostState h) {
        DesiredBridge want = h.plan.bridge();
        if (want == null || want == h.applied || h.applying != null) {
            return;
        }
        if (h.ovsdb.holds(want)) {
            h.applied = want;
            h.portsAppliedThrough = Math.max(h.portsAppliedThrough, compiler.generation());
        }
    }

    private void applied(HostState h, DesiredBridge bridge, long generation, Throwable error) {
        if (h.retired) {
            return;
        }
        h.applying = null;
        if (error != null && Reconciler.rootCause(error) instanceof FencedException fenced) {
            superseded.accept(fenced.getMessage());
            loop.stepAfter(h.ports.failed(h.name, error, clock.instant(), events));
            return;
        }
        if (error != null) {
            loop.stepAfter(h.ports.failed(h.name, error, clock.instant(), events));
            return;
        }
        h.ports.succeeded();
        h.applied = bridge;
        h.portsAppliedThrough = Math.max(h.portsAppliedThrough, generation);
    }
}
