package io.weft.controller.reconcile;

import io.weft.model.DatapathId;
import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.EventPublisher;
import io.weft.controller.view.HostStatus;
import io.weft.model.Host;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import io.weft.southbound.SwitchFlows;
import io.weft.southbound.SwitchHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the reconciler knows and wants of one host: its sessions, its port plan, its switch's flows and what
 * is on its way to it. Confined to the reconciler's thread; it decides nothing and does no I/O.
 */
final class HostState {

    private static final Logger log = LoggerFactory.getLogger(HostState.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    final String name;
    Host host;
    final OvsdbSide ovsdb;
    /** The controller targets its br-int is given: its own passive target, or every live replica's. */
    List<String> controllerTargets;
    /** Why the host's OVSDB session could not even be opened (a target that cannot be used), if so. */
    final Optional<String> unusable;
    /** Gone from the intent: completions that arrive for it are ignored. */
    boolean retired;
    /** The last compiler step that changed the host's desired ports or flows (or found its flows drifted). */
    long changedAt = -1;

    // ---- ports (OVSDB)
    /** The last plan, {@link BridgePlan#NONE} until the host's OVSDB cache was read once: nothing is sent before. */
    BridgePlan plan = BridgePlan.NONE;
    /** Its intent or OVSDB cache changed since the last plan. */
    boolean replan = true;
    /** Hosts or networks changed since the last plan: every port is planned again, not just the touched ones. */
    boolean replanAll = true;
    /** The ports of its endpoints written or deleted since the last plan. */
    final Set<String> touchedPorts = new HashSet<>();
    DesiredBridge applying;
    DesiredBridge applied;
    /** Generation of the last plan that changed the desired bridge, and through which the bridge is applied. */
    long portsChangedAt;
    long portsAppliedThrough = -1;
    final Retry ports = new Retry("ports");

    // ---- flows (OpenFlow)
    SwitchHandle sw;
    /** Its br-int connected speaking a version the overlay cannot use (OpenFlow 1.0): {@link #switchRefused}. */
    SwitchHandle refusedSwitch;
    final SwitchFlows flows = new SwitchFlows();
    /** Whether the host's flows were compiled in full once; until then compiler deltas mean nothing to it. */
    boolean baselined;
    boolean reading;
    final Retry flowSends = new Retry("flows");
    Optional<Instant> lastSync = Optional.empty();
    long appliedRevision;
    Optional<HostStatus.Drift> lastDrift = Optional.empty();
    long driftsRepaired;
    /** What the last audit found changed behind Weft's back, until the switch acknowledged the repair. */
    Optional<String> driftRepairing = Optional.empty();
    int auditsSinceFullRead;
    /** Bumped when a read in flight must count for nothing (this replica just took the switches over). */
    int readEpoch;
    /** A follower: when it reads the switch again to see what the leader installed. */
    Instant nextObserve = Instant.MIN;
    /** How the host came in sync the first time; logged then. */
    final FirstSync firstSync;
    final ReconcileMeters.Host meters;

    /** @param originNanos when the host's time to sync is counted from: the process's start, or its being added */
    HostState(Host host, OvsdbSide ovsdb, List<String> controllerTargets, Optional<String> unusable,
              long originNanos, ReconcileMeters.Host meters) {
        this.name = host.name();
        this.firstSync = new FirstSync(originNanos);
        this.host = host;
        this.ovsdb = ovsdb;
        this.controllerTargets = List.copyOf(controllerTargets);
        this.unusable = unusable;
        this.meters = meters;
    }

    boolean hasPlan() {
        return plan != BridgePlan.NONE;
    }

    void changed(long generation) {
        changedAt = Math.max(changedAt, generation);
    }

    /** Whether br-int holds the ports of every plan up to {@code generation}. */
    boolean portsCaughtUpTo(long generation) {
        return portsAppliedThrough >= generation || (bridgeApplied() && portsChangedAt <= portsAppliedThrough);
    }

    /** Whether OVS confirmed the current plan's bridge and nothing is on its way. */
    boolean bridgeApplied() {
        DesiredBridge want = plan.bridge();
        // Identity first: a host's status is read after every step, and br-int may have a thousand ports.
        return applying == null && want != null && (want == applied || want.equals(applied));
    }

    /** Why the host is not reachable or not in step, in the words an operator needs; empty when it is fine. */
    Optional<String> lastError() {
        return unusable.or(this::switchRefused).or(ports::error).or(flowSends::error);
    }

    /** Why its br-int is not used, while it is refused. */
    Optional<String> switchRefused() {
        return Optional.ofNullable(refusedSwitch).map(sw -> "OpenFlow: br-int (datapath "
                + DatapathId.hex(sw.datapathId()) + ") connected with " + sw.version()
                + ", and the overlay needs OpenFlow 1.3 or later: set its protocols to OpenFlow13,OpenFlow14 (Weft"
                + " does so through OVSDB when it manages the bridge)");
    }

    HostStatus status() {
        List<String> tunnels = plan.tunnels().stream().map(DesiredPort::name).toList();
        boolean inSync = sw != null && hasPlan() && flows.inStep() && bridgeApplied();
        return new HostStatus(name, ovsdb.connected(), sw != null,
                ovsdb.datapathId().map(HexFormat.of()::toHexDigits), tunnels, lastSync, flows.desired().size(),
                flows.installedCount(), inSync, lastError(), appliedRevision, lastDrift, driftsRepaired,
                sw == null ? 0 : sw.flowModsSent());
    }

    /** One kind of work that failed: why, and when to try again (capped exponential backoff). */
    static final class Retry {
        private final String what;
        private Optional<String> error = Optional.empty();
        private Instant at = Instant.MIN;
        private Duration backoff = MIN_BACKOFF;

        Retry(String what) {
            this.what = what;
        }

        /** As {@link #failed(String, Throwable, Instant)}, and published as host {@code host}'s error when it is news. */
        Duration failed(String host, Throwable why, Instant now, EventPublisher events) {
            Optional<String> before = error;
            Duration wait = failed("host " + host, why, now);
            if (!error.equals(before)) {
                events.publish(new ControllerEvent.Failure(now, Optional.of(host), error.get()));
            }
            return wait;
        }

        /** Records and logs the failure; the delay before the next attempt. */
        Duration failed(String who, Throwable why, Instant now) {
            error = Optional.of(what + ": " + Reconciler.rootMessage(why));
            Duration wait = backoff;
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            at = now.plus(wait);
            log.warn("{}: {}; retrying in {} ms", who, error.get(), wait.toMillis());
            return wait;
        }

        void succeeded() {
            error = Optional.empty();
            backoff = MIN_BACKOFF;
        }

        boolean waiting(Instant now) {
            return now.isBefore(at);
        }

        Optional<String> error() {
            return error;
        }
    }
}
