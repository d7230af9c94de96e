package io.weft.controller.plain;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What Weft knows of the plain switches: the switches, their ports that are up, the links LLDP found between those
 * ports, and the hosts learned at the others. Immutable; every change returns a new topology and keeps it
 * consistent (a link joins two ports that are up; a host sits on an up port that is no link's end).
 *
 * <p>A port that just came up is <em>probing</em> until it has had time to hear LLDP: nothing is flooded out of it,
 * so a cable between two switches is never taken for a host port (which would let broadcasts loop) before discovery
 * had its chance. {@link #settled} ends the probation; a link found on the port ends it too.
 *
 * @param switches datapath ids
 * @param ports    ports that are up (OpenFlow's reserved ports, such as LOCAL, are never here)
 * @param probing  ports that are up, not yet known to be links or host ports
 * @param links    between ports that are up
 * @param hosts    by MAC (its 48 bits)
 */
public record Topology(SortedSet<Long> switches, SortedSet<PortRef> ports, SortedSet<PortRef> probing,
                       SortedSet<Link> links, SortedMap<Long, LearnedHost> hosts) {

    public static final Topology EMPTY = new Topology(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(),
            new TreeSet<>(), new TreeMap<>());
    /** OpenFlow 1.3 port numbers from here up are reserved (IN_PORT, FLOOD, CONTROLLER, LOCAL...). */
    public static final long MAX_PHYSICAL_PORT = 0xffff_ff00L;

    public Topology {
        switches = Collections.unmodifiableSortedSet(new TreeSet<>(switches));
        ports = Collections.unmodifiableSortedSet(new TreeSet<>(ports));
        probing = Collections.unmodifiableSortedSet(new TreeSet<>(probing));
        links = Collections.unmodifiableSortedSet(new TreeSet<>(links));
        hosts = Collections.unmodifiableSortedMap(new TreeMap<>(hosts));
    }

    // ---- changes

    /** A switch connected with {@code upPorts} (reserved ports ignored); they start probing. Replaces what was known. */
    public Topology withSwitch(long dpid, Set<Long> upPorts) {
        Topology t = withoutSwitch(dpid);
        TreeSet<Long> sw = new TreeSet<>(t.switches);
        sw.add(dpid);
        TreeSet<PortRef> p = new TreeSet<>(t.ports);
        TreeSet<PortRef> probe = new TreeSet<>(t.probing);
        for (long port : upPorts) {
            if (port > 0 && port < MAX_PHYSICAL_PORT) {
                p.add(new PortRef(dpid, port));
                probe.add(new PortRef(dpid, port));
            }
        }
        return new Topology(sw, p, probe, t.links, t.hosts);
    }

    /** The switch went away: its ports, links and hosts with it. */
    public Topology withoutSwitch(long dpid) {
        if (!switches.contains(dpid)) {
            return this;
        }
        TreeSet<Long> sw = new TreeSet<>(switches);
        sw.remove(dpid);
        return new Topology(sw, filter(ports, p -> p.dpid() != dpid), filter(probing, p -> p.dpid() != dpid),
                filter(links, l -> !l.touchesSwitch(dpid)), filterHosts(h -> h.at().dpid() != dpid));
    }

    /** A port came up (it starts probing) or went down (its link and hosts go). Unknown switches are ignored. */
    public Topology withPort(PortRef port, boolean up) {
        if (!switches.contains(port.dpid()) || port.port() <= 0 || port.port() >= MAX_PHYSICAL_PORT) {
            return this;
        }
        if (up) {
            if (ports.contains(port)) {
                return this;
            }
            TreeSet<PortRef> p = new TreeSet<>(ports);
            p.add(port);
            TreeSet<PortRef> probe = new TreeSet<>(probing);
            probe.add(port);
            return new Topology(switches, p, probe, links, hosts);
        }
        if (!ports.contains(port)) {
            return this;
        }
        return new Topology(switches, filter(ports, p -> !p.equals(port)), filter(probing, p -> !p.equals(port)),
                filter(links, l -> !l.touches(port)), filterHosts(h -> !h.at().equals(port)));
    }

    /** The probation of {@code port} is over with no link found: it is a host port. */
    public Topology settled(PortRef port) {
        if (!probing.contains(port)) {
            return this;
        }
        return new Topology(switches, ports, filter(probing, p -> !p.equals(port)), links, hosts);
    }

    /**
     * LLDP from {@code from} arrived on {@code to}. Both must be up ports of known switches; a port already linked
     * elsewhere is re-linked (the cable moved). Hosts learned on either port were guesses made before discovery.
     */
    public Topology withLink(PortRef from, PortRef to) {
        if (!ports.contains(from) || !ports.contains(to) || from.equals(to)) {
            return this;
        }
        Link link = new Link(from, to);
        if (links.contains(link)) {
            return this;
        }
        TreeSet<Link> l = new TreeSet<>(filter(links, x -> !x.touches(from) && !x.touches(to)));
        l.add(link);
        return new Topology(switches, ports, filter(probing, p -> !p.equals(from) && !p.equals(to)), l,
                filterHosts(h -> !link.touches(h.at())));
    }

    /** The link was not heard from for too long: its ports probe again (a cable may still be there). */
    public Topology withoutLink(Link link) {
        if (!links.contains(link)) {
            return this;
        }
        TreeSet<PortRef> probe = new TreeSet<>(probing);
        probe.add(link.a());
        probe.add(link.b());
        return new Topology(switches, ports, probe, filter(links, l -> !l.equals(link)), hosts);
    }

    /**
     * {@code mac} sent from {@code at}: learned there (moved, if it was elsewhere). Ignored on a link's port (a
     * packet that crossed a link says nothing about where its sender sits), on a port that is not up, and for
     * group addresses.
     */
    public Topology withHost(MacAddress mac, PortRef at, Optional<Ipv4Address> ip) {
        if (!ports.contains(at) || isLinkPort(at) || mac.isMulticast() || mac.isZero()) {
            return this;
        }
        LearnedHost before = hosts.get(mac.bits());
        Optional<Ipv4Address> address = ip.isPresent() || before == null || !before.at().equals(at) ? ip
                : before.ip();
        LearnedHost next = new LearnedHost(mac, at, address);
        if (next.equals(before)) {
            return this;
        }
        TreeMap<Long, LearnedHost> h = new TreeMap<>(hosts);
        h.put(mac.bits(), next);
        return new Topology(switches, ports, probing, links, h);
    }

    // ---- reads

    public boolean isLinkPort(PortRef p) {
        for (Link l : links) {
            if (l.touches(p)) {
                return true;
            }
        }
        return false;
    }

    /** The up ports of {@code dpid}. */
    public SortedSet<PortRef> portsOf(long dpid) {
        return onSwitch(ports, dpid);
    }

    /** Those of {@code ports} that are {@code dpid}'s (a view). */
    public static SortedSet<PortRef> onSwitch(SortedSet<PortRef> ports, long dpid) {
        return ports.subSet(new PortRef(dpid, 0), new PortRef(dpid, MAX_PHYSICAL_PORT));
    }

    /** Ports where hosts may sit: up, not a link's end, not probing. */
    public SortedSet<PortRef> edgePorts() {
        Set<PortRef> linked = links.stream().flatMap(l -> java.util.stream.Stream.of(l.a(), l.b()))
                .collect(Collectors.toSet());
        return filter(ports, p -> !linked.contains(p) && !probing.contains(p));
    }

    public Optional<LearnedHost> host(MacAddress mac) {
        return Optional.ofNullable(hosts.get(mac.bits()));
    }

    private static <T extends Comparable<T>> SortedSet<T> filter(SortedSet<T> in, java.util.function.Predicate<T> keep) {
        return in.stream().filter(keep).collect(Collectors.toCollection(TreeSet::new));
    }

    private SortedMap<Long, LearnedHost> filterHosts(java.util.function.Predicate<LearnedHost> keep) {
        TreeMap<Long, LearnedHost> out = new TreeMap<>();
        for (Map.Entry<Long, LearnedHost> e : hosts.entrySet()) {
            if (keep.test(e.getValue())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
