package io.weft.controller.view;

import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How far the change committed at {@code revision} got on the hosts it concerns (those whose ports or flows it
 * changed; the others are in neither list): those whose switches hold it, and those that do not yet, each with why
 * (for example "OpenFlow not connected"), so that a client told "installed" can trust it and a client told "pending"
 * knows where to look.
 */
public record InstallProgress(long revision, SortedSet<String> acknowledged, SortedMap<String, String> pending) {

    public InstallProgress {
        acknowledged = Collections.unmodifiableSortedSet(new TreeSet<>(acknowledged));
        pending = Collections.unmodifiableSortedMap(new TreeMap<>(pending));
    }

    /** Whether every host the change concerns holds it. */
    public boolean complete() {
        return pending.isEmpty();
    }
}
