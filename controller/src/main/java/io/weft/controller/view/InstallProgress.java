package io.weft.controller.view;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How far the change committed at {@code revision} got on the hosts it concerns (those whose ports or flows it
 * changed; the others are in neither list): those whose switches hold it, and those that do not yet, each with why
 * (for example "OpenFlow not connected"), so that a client told "installed" can trust it and a client told "pending"
 * knows where to look.
 *
 * @param timeline when the steps of the install happened, for a change someone waited for
 */
public record InstallProgress(long revision, SortedSet<String> acknowledged, SortedMap<String, String> pending,
                              Optional<Timeline> timeline) {

    public InstallProgress(long revision, SortedSet<String> acknowledged, SortedMap<String, String> pending) {
        this(revision, acknowledged, pending, Optional.empty());
    }

    public InstallProgress {
        acknowledged = Collections.unmodifiableSortedSet(new TreeSet<>(acknowledged));
        pending = Collections.unmodifiableSortedMap(new TreeMap<>(pending));
        timeline = timeline == null ? Optional.empty() : timeline;
    }

    /** Whether every host the change concerns holds it. */
    public boolean complete() {
        return pending.isEmpty();
    }

    /**
     * When the steps of one install happened, as {@link System#nanoTime()}: the reconciler compiled the change, then
     * each host it concerns had its ports applied (OVSDB confirmed them) and its flows acknowledged by its switch.
     * A step that did not happen (nothing to apply) is absent.
     */
    public record Timeline(long compiledNanos, Map<String, HostSteps> hosts) {
        public Timeline {
            hosts = Collections.unmodifiableSortedMap(new TreeMap<>(hosts));
        }
    }

    /** @param portsNanos, flowsNanos when the host's ports, its flows, were in place (0: seen before the wait) */
    public record HostSteps(long portsNanos, long flowsNanos) {
    }
}
