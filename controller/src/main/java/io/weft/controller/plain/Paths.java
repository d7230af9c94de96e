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
    /** Destination switch, then switch, then the next switch on the way. */
    private final Map<Long, Map<Long, Long>> nextSwitch = new HashMap<>();
    private final Map<Long, Map<Long, Integer>> hops = new HashMap<>();
    private final Map<Long, List<Hop>> adjacency = new TreeMap<>();
    private final SortedSet<PortRef> treePorts = new TreeSet<>();

    private Paths(Topology t) {
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
            Map<Long, Long> parent = new HashMap<>();
            List<Link> used = breadthFirst(adjacency, destination, next, parent, distance);
            toward.put(destination, next);
            nextSwitch.put(destination, parent);
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
     * From {@code root}: each reached switch's distance, then, nearest first (ties by datapath id), its parent: of its
     * neighbours one link nearer to root, the one with the fewest children so far (ties by datapath id and port).
     * Spreading children over equal parents keeps shortest paths while leaving most switches a neighbour whose way to
     * root does not come back through them (an {@link #alternatePort}); it also spreads the load. Returns the links
     * of the tree.
     */
    private static List<Link> breadthFirst(Map<Long, List<Hop>> adjacency, long root, Map<Long, Long> next,
                                           Map<Long, Long> parent, Map<Long, Integer> distance) {
        ArrayDeque<Long> queue = new ArrayDeque<>();
        List<Long> reached = new ArrayList<>();
        distance.put(root, 0);
        queue.add(root);
        while (!queue.isEmpty()) {
            long u = queue.poll();
            for (Hop h : adjacency.get(u)) {
                long v = h.remote().dpid();
                if (!distance.containsKey(v)) {
                    distance.put(v, distance.get(u) + 1);
                    reached.add(v);
                    queue.add(v);
                }
            }
        }
        reached.sort((x, y) -> distance.get(x).equals(distance.get(y)) ? Long.compare(x, y)
                : Integer.compare(distance.get(x), distance.get(y)));
        Map<Long, Integer> children = new HashMap<>();
        List<Link> used = new ArrayList<>();
        for (long v : reached) {
            Hop best = null;
            for (Hop h : adjacency.get(v)) {        // by neighbour's datapath id, then port
                long u = h.remote().dpid();
                if (distance.get(u) == distance.get(v) - 1 && (best == null
                        || children.getOrDefault(u, 0) < children.getOrDefault(best.remote().dpid(), 0))) {
                    best = h;
                }
            }
            long u = best.remote().dpid();
            children.merge(u, 1, Integer::sum);
            next.put(v, best.local().port());
            parent.put(v, u);
            used.add(new Link(best.local(), best.remote()));
        }
        return used;
    }

    /** The port of {@code from} that starts a shortest path to {@code to}; empty if they are one or not joined. */
    public Optional<Long> nextPort(long from, long to) {
        Map<Long, Long> next = toward.get(to);
        return next == null ? Optional.empty() : Optional.ofNullable(next.get(from));
    }

    /**
     * The port of {@code from} to use toward {@code to} when the link its {@link #nextPort} starts is down, with no
     * controller involved: a neighbour whose own way to {@code to} does not come back through {@code from}, so while
     * only that one link is down every frame sent to it arrives and none loops. Preferred: the neighbour nearest to
     * {@code to} (a loop-free alternate in the strict sense, dist(n,to) < dist(n,from) + dist(from,to), whenever one
     * exists), then the lower datapath id and port. Empty when no neighbour qualifies (on a square grid, often the
     * case for a destination next door): the controller's reroute alone covers that link.
     */
    public Optional<Long> alternatePort(long from, long to) {
        Optional<Long> primary = nextPort(from, to);
        if (primary.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, Integer> distance = hops.get(to);
        Hop best = null;
        for (Hop h : adjacency.get(from)) {
            long n = h.remote().dpid();
            if (h.local().port() == primary.get() || !wayAvoids(n, to, from)) {
                continue;
            }
            if (best == null || distance.get(n) < distance.get(best.remote().dpid())) {
                best = h;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.local().port());
    }

    /** Whether the next hops from {@code start} to {@code to} never pass through {@code avoid}. */
    private boolean wayAvoids(long start, long to, long avoid) {
        Map<Long, Long> parent = nextSwitch.get(to);
        for (long at = start; at != to; at = parent.get(at)) {
            if (at == avoid) {
                return false;
            }
        }
        return true;
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
