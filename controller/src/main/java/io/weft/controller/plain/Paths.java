package io.weft.controller.plain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ways through a topology's links: for every pair of switches the port that starts a shortest path (breadth-first
 * from the destination, so the next hops toward one switch form a tree and unicast cannot loop), and one spanning
 * tree per connected part (breadth-first from its smallest datapath id), the only links broadcasts cross. Ties are
 * broken by datapath id and port number, so the same topology always gives the same paths.
 */
public final class Paths {

    /** One end of a link seen from a switch: leave by {@code local} to arrive at {@code remote}. */
    private record Hop(PortRef local, PortRef remote) {
    }

    /** Destination switch, then switch, then the port toward the destination. */
    private final Map<Long, Map<Long, Long>> toward = new HashMap<>();
    private final Map<Long, Map<Long, Integer>> hops = new HashMap<>();
    private final SortedSet<PortRef> treePorts = new TreeSet<>();

    private Paths(Topology t) {
        Map<Long, List<Hop>> adjacency = new TreeMap<>();
        t.switches().forEach(s -> adjacency.put(s, new ArrayList<>()));
        for (Link l : t.links()) {
            adjacency.get(l.a().dpid()).add(new Hop(l.a(), l.b()));
            adjacency.get(l.b().dpid()).add(new Hop(l.b(), l.a()));
        }
        adjacency.values().forEach(list -> list.sort((x, y) -> x.remote().dpid() != y.remote().dpid()
                ? Long.compare(x.remote().dpid(), y.remote().dpid()) : x.local().compareTo(y.local())));
        for (long destination : adjacency.keySet()) {
            Map<Long, Long> next = new HashMap<>();
            Map<Long, Integer> distance = new HashMap<>();
            List<Link> used = breadthFirst(adjacency, destination, next, distance);
            toward.put(destination, next);
            hops.put(destination, distance);
            boolean rootOfItsPart = distance.keySet().stream().allMatch(s -> s >= destination);
            if (rootOfItsPart) {
                used.forEach(l -> {
                    treePorts.add(l.a());
                    treePorts.add(l.b());
                });
            }
        }
    }

    public static Paths of(Topology topology) {
        return new Paths(topology);
    }

    /**
     * From {@code root}: each reached switch's port toward root (the port its discovering hop arrived on) and its
     * distance; returns the links of the breadth-first tree.
     */
    private static List<Link> breadthFirst(Map<Long, List<Hop>> adjacency, long root, Map<Long, Long> next,
                                           Map<Long, Integer> distance) {
        List<Link> used = new ArrayList<>();
        ArrayDeque<Long> queue = new ArrayDeque<>();
        distance.put(root, 0);
        queue.add(root);
        while (!queue.isEmpty()) {
            long u = queue.poll();
            for (Hop h : adjacency.get(u)) {
                long v = h.remote().dpid();
                if (!distance.containsKey(v)) {
                    distance.put(v, distance.get(u) + 1);
                    next.put(v, h.remote().port());
                    used.add(new Link(h.local(), h.remote()));
                    queue.add(v);
                }
            }
        }
        return used;
    }

    /** The port of {@code from} that starts a shortest path to {@code to}; empty if they are one or not joined. */
    public Optional<Long> nextPort(long from, long to) {
        Map<Long, Long> next = toward.get(to);
        return next == null ? Optional.empty() : Optional.ofNullable(next.get(from));
    }

    /** Links on a shortest path between the two switches, if joined. */
    public OptionalInt hops(long from, long to) {
        Map<Long, Integer> d = hops.get(to);
        Integer n = d == null ? null : d.get(from);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** Both ends of every spanning-tree link. */
    public SortedSet<PortRef> treePorts() {
        return Collections.unmodifiableSortedSet(treePorts);
    }
}
