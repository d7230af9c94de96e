package io.weft.controller.reconcile;

import io.weft.controller.plain.Link;
import io.weft.controller.plain.PortRef;
import io.weft.controller.plain.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time side of discovering plain switches: how long a port probes before it counts as a host port, when a link
 * not heard from expires, and which links an earlier run's flows named (waited for after a restart). Decides nothing
 * on its own: {@link #due} says what the time that passed changes in a topology. Time is passed in.
 */
final class DiscoveryTimers {

    private static final Logger log = LoggerFactory.getLogger(DiscoveryTimers.class);

    private final PlainFabric.Settings settings;
    private final Map<PortRef, Instant> probingSince = new HashMap<>();
    private final Map<Link, Instant> linkHeard = new HashMap<>();
    /** When a probe last left each port, and the slowest time a probe took to come back as a packet-in. */
    private final Map<PortRef, Instant> probeSent = new HashMap<>();
    private Duration slowestProbe;
    /** Link ports named by the flows of an earlier run, and until when they are waited for. */
    private final Set<PortRef> linksBefore = new HashSet<>();
    private Instant linksBeforeUntil = Instant.MIN;

    DiscoveryTimers(PlainFabric.Settings settings) {
        this.settings = settings;
    }

    /** The topology became {@code next}: ports that started probing start their probation now. */
    void changed(Topology next, Instant now) {
        for (PortRef p : next.probing()) {
            probingSince.putIfAbsent(p, now);
        }
        probingSince.keySet().retainAll(next.probing());
        linkHeard.keySet().retainAll(next.links());
        probeSent.keySet().retainAll(next.ports());
    }

    void probeSent(PortRef port, Instant now) {
        probeSent.put(port, now);
    }

    /** A probe from {@code link}'s end {@code origin} came back over it. */
    void heard(Link link, PortRef origin, Instant now) {
        linkHeard.put(link, now);
        Instant sent = probeSent.get(origin);
        Duration took = sent == null ? Duration.ZERO : Duration.between(sent, now);
        if (slowestProbe == null || took.compareTo(slowestProbe) > 0) {
            slowestProbe = took;
        }
    }

    /** A switch's flows are in place for the first time: from now on it reports probes, so probation starts again. */
    void probationRestarts(Instant now) {
        probingSince.replaceAll((p, since) -> now);
    }

    /** An earlier run's flows named these ports as links: they keep probing until found again or the hold ends. */
    void earlierRunLinks(List<PortRef> ports, Instant now) {
        if (!now.isBefore(linksBeforeUntil)) {
            linksBefore.clear();
            linksBeforeUntil = now.plus(settings.restartHold());
        }
        linksBefore.addAll(ports);
    }

    /** Whether links an earlier run's flows named are still being waited for. */
    boolean waitingForEarlierLinks(Topology t, Instant now) {
        return now.isBefore(linksBeforeUntil) && !linksBefore.stream().allMatch(t::isLinkPort);
    }

    /** {@code t} with the links not heard for too long dropped and the ports whose probation ended settled. */
    Topology due(Topology t, Instant now) {
        Topology next = t;
        for (Map.Entry<Link, Instant> e : linkHeard.entrySet()) {
            if (e.getValue().plus(settings.linkTimeout()).isBefore(now)) {
                log.warn("plain link {} - {} not heard for {} ms: dropped", e.getKey().a(), e.getKey().b(),
                        settings.linkTimeout().toMillis());
                next = next.withoutLink(e.getKey());
            }
        }
        boolean waiting = waitingForEarlierLinks(t, now);
        for (Map.Entry<PortRef, Instant> e : probingSince.entrySet()) {
            boolean earlierLink = waiting && linksBefore.contains(e.getKey());   // its neighbour may come back
            if (!earlierLink && !e.getValue().plus(probation()).isAfter(now)) {
                next = next.settled(e.getKey());
            }
        }
        return next;
    }

    /** The next time {@link #due} may change something. */
    Instant nextDue(Instant now) {
        Instant next = Instant.MAX;
        for (Instant since : probingSince.values()) {
            next = min(next, since.plus(probation()));
        }
        for (Instant heard : linkHeard.values()) {
            next = min(next, heard.plus(settings.linkTimeout()).plusMillis(1));
        }
        return linksBeforeUntil.isAfter(now) ? min(next, linksBeforeUntil) : next;
    }

    /**
     * How long a port probes: a probe that comes back does so within a round trip, so once round trips are known,
     * ten of the slowest (a loaded machine's slower trips lengthen it); before any, the configured probation.
     */
    private Duration probation() {
        if (slowestProbe == null) {
            return settings.probation();
        }
        Duration tenTrips = slowestProbe.multipliedBy(10);
        return tenTrips.compareTo(settings.minProbation()) > 0 ? tenTrips : settings.minProbation();
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
