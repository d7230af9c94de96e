package io.weft.controller.reconcile;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.EndpointIndex;
import io.weft.model.Host;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import io.weft.model.ovs.Ownership;
import io.weft.routing.TunnelPlan;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.pcollections.HashTreePMap;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The OVSDB half of one host's desired state, and the ofports its flows are compiled with: a pure function of the
 * intent and the host's bridge as its OVSDB cache shows it.
 *
 * <p>Weft asks OVS for the number of every port it creates ({@code ofport_request}, in the upper half of the port
 * numbers, which OVS keeps for controllers), so the flows that name a port can go out together with the transaction
 * that creates it instead of after it; the cache then confirms the number. A requested number is kept from plan to
 * plan for as long as the port is not there yet, so a flow never changes its port under it. A tunnel asks for the
 * number derived from its peer's index ({@link DesiredPort#tunnelOfport}), the same on every host, so that the flows
 * toward a remote endpoint are identical on every host and compiled and held once; endpoint ports take the lowest
 * free number from {@link DesiredPort#FIRST_ENDPOINT_OFPORT}.
 *
 * <p>An endpoint is bound to a port someone else added when that port's {@code iface-id} names it (as
 * {@code network/name} or just {@code name}) or when a port not owned by Weft already has the endpoint's port name;
 * otherwise Weft adds the port itself, marked as its own.
 *
 * <p>A plan is made in full ({@link #of}) or as an update of the previous one ({@link #update}) that plans again only
 * the endpoint ports whose endpoint or cache row changed: a host with hundreds of endpoints costs the same to plan
 * as one with a few. Both give the same plan (BridgePlanPropertiesTest); an update falls back to a full plan where
 * one change can move another port (a topology change, a foreign port's iface-id, numbers run out).
 *
 * @param bridge      the bridge Weft wants: its own tunnel and endpoint ports
 * @param tunnels     the bridge's tunnel ports, first in {@code bridge.ports()}
 * @param ofports     the ofport of every port the host's flows use, by port name (an endpoint by its
 *                    {@link Endpoint#port()}): what OVS assigned, or what Weft asked for while OVS has not yet
 * @param requested   the numbers this plan asked for, by port name, for ports not in the cache yet
 * @param unconfirmed endpoints whose ofport the cache does not show yet (asked for, or a foreign port not there yet)
 * @param failed      endpoints whose interface OVS could not open, with OVS's reason; those Weft made keep their
 *                    requested number, so their flows are ready the moment the device appears
 * @param moved       the ports whose entry in {@code ofports} differs from the previous plan's (changed, new or gone)
 * @param slots       how each endpoint port was planned, by port name: the next plan reuses the port of an
 *                    unchanged endpoint (same instance: comparing bridges is then mostly identity checks)
 * @param actual      the cache's ports the plan was made from: the next update plans again what differs from them
 * @param updatable   whether the next plan may be an {@link #update}: false after a full plan found two endpoints on
 *                    one port or ran out of numbers, where a change to one port can change another
 */
record BridgePlan(DesiredBridge bridge, List<DesiredPort> tunnels, PMap<String, Integer> ofports,
                  PMap<String, Integer> requested, PSet<EndpointId> unconfirmed, PMap<EndpointId, String> failed,
                  Set<String> moved, PSortedMap<String, EndpointSlot> slots, BridgePorts actual, boolean updatable) {

    static final BridgePlan NONE = new BridgePlan(null, List.of(), HashTreePMap.empty(), HashTreePMap.empty(),
            HashTreePSet.empty(), HashTreePMap.empty(), Set.of(), TreePMap.empty(), BridgePorts.NONE, false);

    /**
     * How one endpoint's port was planned.
     *
     * @param made        the port Weft makes for it; null when it is bound to someone else's port
     * @param ofport      the number its flows use; null while unknown
     * @param unconfirmed whether the cache does not show its number yet
     * @param failed      why OVS could not open its interface; null if it could
     */
    record EndpointSlot(Endpoint endpoint, DesiredPort made, Integer ofport, boolean unconfirmed, String failed) {
    }

    /**
     * Plans every port of the host.
     *
     * @param hosts     every host of the intent (tunnels go to each other one)
     * @param endpoints the endpoints placed on {@code host}, in the order of their port names
     * @param actual    br-int's ports as the host's OVSDB cache shows them
     * @param previous  the plan before this one, whose requested numbers are kept
     */
    static BridgePlan of(Host host, Collection<Host> hosts, Collection<Endpoint> endpoints, BridgePorts actual,
                         List<String> controllerTargets, BridgePlan previous) {
        Planner p = new Planner(actual, previous, HashTreePMap.empty(), HashTreePSet.empty(), HashTreePMap.empty(),
                TreePMap.empty());
        p.tunnels(host, hosts);
        for (Endpoint e : endpoints) {
            if (p.slots.containsKey(e.port())) {
                p.updatable = false; // two endpoints on one port: only a full plan sees both
            }
            p.endpoint(e);
        }
        for (String port : previous.ofports().keySet()) {
            if (!p.seen.contains(port)) {
                p.ofports.remove(port);
            }
        }
        return p.plan(host, controllerTargets);
    }

    /**
     * The plan after {@code previous} when only the endpoints on {@code touched} ports changed (and whatever the
     * cache shows differently from {@code previous.actual()}): the same plan {@link #of} would make, planning only
     * those ports again.
     *
     * @param touched the ports of the host's endpoints written or deleted since {@code previous} (before and after)
     */
    static BridgePlan update(BridgePlan previous, Host host, Collection<Host> hosts, EndpointIndex index,
                             Set<String> touched, BridgePorts actual, List<String> controllerTargets) {
        BridgePlan plan = previous.updatable()
                ? changed(previous, host, hosts, index, touched, actual, controllerTargets) : null;
        return plan != null ? plan : of(host, hosts, index.on(host.name()), actual, controllerTargets, previous);
    }

    /** The update, or null where one port's change can change another's and only a full plan is right. */
    private static BridgePlan changed(BridgePlan previous, Host host, Collection<Host> hosts, EndpointIndex index,
                                      Set<String> touched, BridgePorts actual, List<String> controllerTargets) {
        Set<String> ports = new TreeSet<>(touched);
        Set<String> cacheChanged = actual.changedSince(previous.actual());
        for (String name : cacheChanged) {
            if (hasForeignIfaceId(previous.actual().named(name)) || hasForeignIfaceId(actual.named(name))) {
                return null; // a foreign port binds an endpoint of another name
            }
        }
        ports.addAll(cacheChanged);
        if (!cacheChanged.isEmpty()) {
            // A number a pending port asked for, now held by another port in the cache: asked for anew.
            previous.requested().forEach((name, n) -> {
                if (actual.named(name) == null && actual.holds(n)) {
                    ports.add(name);
                }
            });
        }
        Planner p = new Planner(actual, previous, previous.requested(), previous.unconfirmed(), previous.failed(),
                previous.slots());
        if (previous.tunnels().stream().noneMatch(t -> ports.contains(t.name()))) {
            p.keepTunnels(previous.tunnels()); // the hosts are the same (no topology change), and their rows too
        } else {
            p.tunnels(host, hosts);
        }
        ports.removeAll(p.seen); // tunnels, planned again above
        ports.forEach(p::forget);
        for (String port : touched) {
            if (p.seen.contains(port)) {
                return null; // an endpoint on a tunnel's port
            }
        }
        for (String port : ports) {
            List<Endpoint> holders = index.holdersAt(host.name(), port);
            if (holders.size() > 1) {
                return null; // two endpoints on one port
            }
            if (holders.isEmpty()) {
                p.ofports.remove(port);
            } else {
                p.endpoint(holders.get(0));
            }
        }
        p.replanned = ports;
        return p.plan(host, controllerTargets);
    }

    private static boolean hasForeignIfaceId(BridgePort p) {
        return p != null && !p.owned() && p.ifaceId().isPresent();
    }

    static DesiredPort endpointPort(Endpoint e) {
        return new DesiredPort(e.port(), "", Map.of(), Map.of(
                Ownership.OWNER_KEY, Ownership.OWNER_VALUE,
                Ownership.ENDPOINT_KEY, e.id().toString(),
                Ownership.NETWORK_KEY, e.network(),
                Ownership.IFACE_ID_KEY, e.id().toString()));
    }

    /** One plan being made: from nothing ({@link #of}) or from the previous plan's parts ({@link #update}). */
    private static final class Planner {
        final BridgePorts actual;
        final BridgePlan previous;
        final Allocator allocator;
        final Ofports ofports;
        final List<DesiredPort> tunnels = new ArrayList<>();
        /** Ports planned by this plan (tunnels included). */
        final Set<String> seen = new HashSet<>();
        PSet<EndpointId> unconfirmed;
        PMap<EndpointId, String> failed;
        PSortedMap<String, EndpointSlot> slots;
        boolean updatable = true;
        /** An update's ports planned again (the others' slots are the previous plan's); null for a full plan. */
        Set<String> replanned;
        /** An update that kept the previous plan's tunnel ports. */
        boolean tunnelsKept;

        Planner(BridgePorts actual, BridgePlan previous, PMap<String, Integer> requested,
                PSet<EndpointId> unconfirmed, PMap<EndpointId, String> failed,
                PSortedMap<String, EndpointSlot> slots) {
            this.actual = actual;
            this.previous = previous;
            this.allocator = new Allocator(actual, previous.requested(), requested);
            this.ofports = new Ofports(previous.ofports());
            this.unconfirmed = unconfirmed;
            this.failed = failed;
            this.slots = slots;
        }

        void tunnels(Host host, Collection<Host> hosts) {
            for (TunnelPort t : TunnelPlan.forHost(host, hosts)) {
                allocator.forget(t.portName());
                Slot slot = allocator.own(t.toDesiredPort());
                tunnels.add(slot.port());
                seen.add(t.portName());
                ofports.put(t.portName(), slot.ofport());
            }
        }

        void keepTunnels(List<DesiredPort> previous) {
            tunnelsKept = true;
            tunnels.addAll(previous);
            previous.forEach(t -> seen.add(t.name()));
        }

        /** Drops what the previous plan said of {@code port}, before it is planned again. */
        void forget(String port) {
            allocator.forget(port);
            EndpointSlot was = slots.get(port);
            if (was != null) {
                slots = slots.minus(port);
                unconfirmed = unconfirmed.minus(was.endpoint().id());
                failed = failed.minus(was.endpoint().id());
            }
        }

        void endpoint(Endpoint e) {
            BridgePort named = actual.named(e.port());
            BridgePort foreign = named != null && !named.owned() ? named : null;
            if (actual.hasForeignIfaceIds()) {
                BridgePort byIfaceId = actual.foreignWithIfaceId(e.id().toString());
                if (byIfaceId == null) {
                    byIfaceId = actual.foreignWithIfaceId(e.id().name());
                }
                foreign = byIfaceId != null ? byIfaceId : foreign;
            }
            DesiredPort made = null;
            Integer ofport;
            Optional<String> error;
            boolean waiting;
            if (foreign != null) {
                ofport = foreign.ofport().orElse(null);
                error = foreign.error();
                waiting = ofport == null && error.isEmpty();
            } else {
                EndpointSlot was = previous.slots().get(e.port());
                Slot slot = allocator.own(was != null && was.endpoint() == e && was.made() != null ? was.made()
                        : endpointPort(e));
                made = slot.port();
                ofport = slot.ofport();
                error = named == null ? Optional.empty() : named.error();
                waiting = (named == null || named.ofport().isEmpty()) && error.isEmpty();
            }
            if (waiting) {
                unconfirmed = unconfirmed.plus(e.id());
            }
            if (error.isPresent()) {
                failed = failed.plus(e.id(), error.get());
            }
            slots = slots.plus(e.port(), new EndpointSlot(e, made, ofport, waiting, error.orElse(null)));
            seen.add(e.port());
            ofports.put(e.port(), ofport);
        }

        BridgePlan plan(Host host, List<String> controllerTargets) {
            DesiredBridge was = previous.bridge();
            boolean sameBridge = was != null && was.datapathType() == host.datapathType()
                    && was.controllerTargets().equals(controllerTargets);
            // Nothing changed: the same instance, so that comparing bridges is an identity check.
            DesiredBridge bridge = sameBridge && keptPorts() ? was : null;
            if (bridge == null) {
                List<DesiredPort> ports = new ArrayList<>(tunnels.size() + slots.size());
                ports.addAll(tunnels);
                for (EndpointSlot s : slots.values()) {
                    if (s.made() != null) {
                        ports.add(s.made());
                    }
                }
                bridge = sameBridge && sameInstances(was.ports(), ports) ? was
                        : new DesiredBridge(DesiredBridge.INTEGRATION_BRIDGE, host.datapathType(), controllerTargets,
                                ports);
            }
            return new BridgePlan(bridge, List.copyOf(tunnels), ofports.map, allocator.requested, unconfirmed,
                    failed, Set.copyOf(ofports.moved), slots, actual, updatable && !allocator.exhausted);
        }

        /**
         * Whether an update left every port Weft makes as the previous plan had it, without walking them all (the
         * host's port list is rebuilt only when one changed): the tunnels are the same instances, and so is the
         * port made for each port planned again (or there is none, before and after).
         */
        private boolean keptPorts() {
            if (replanned == null || !tunnelsKept) {
                return false;
            }
            for (String port : replanned) {
                if (made(previous.slots().get(port)) != made(slots.get(port))) {
                    return false;
                }
            }
            return true;
        }

        private static DesiredPort made(EndpointSlot slot) {
            return slot == null ? null : slot.made();
        }

        private static boolean sameInstances(List<DesiredPort> a, List<DesiredPort> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) != b.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The plan's ofports, built as changes to the previous plan's: when nothing moved it is the same map, and what
     * moved is known without comparing the two.
     */
    private static final class Ofports {
        PMap<String, Integer> map;
        final Set<String> moved = new HashSet<>();

        Ofports(PMap<String, Integer> previous) {
            this.map = previous;
        }

        /** @param ofport null while unknown */
        void put(String port, Integer ofport) {
            if (!Objects.equals(map.get(port), ofport)) {
                map = ofport == null ? map.minus(port) : map.plus(port, ofport);
                moved.add(port);
            }
        }

        void remove(String port) {
            put(port, null);
        }
    }

    /** A Weft port of the plan and the ofport its flows use (null while unknown). */
    private record Slot(DesiredPort port, Integer ofport) {
    }

    /** Hands out requested port numbers: the previous plan's first, then the lowest free one of the upper half. */
    private static final class Allocator {
        private final BridgePorts actual;
        private final Map<String, Integer> previous;
        /** Numbers ports in the cache hold or asked for, and the previous plan's pending ports ask for; made lazily. */
        private BitSet taken;
        PMap<String, Integer> requested;
        /** A port got no number: once numbers free up, an unchanged port may get one, which only a full plan sees. */
        boolean exhausted;

        /** @param requested what this plan asks for so far: nothing, or the previous plan's requests to update */
        Allocator(BridgePorts actual, Map<String, Integer> previous, PMap<String, Integer> requested) {
            this.actual = actual;
            this.previous = previous;
            this.requested = requested;
        }

        private BitSet taken() {
            if (taken == null) {
                taken = actual.numbers();
                // Numbers a pending port of the previous plan still waits for are not free for another port.
                previous.forEach((name, n) -> {
                    if (actual.named(name) == null) {
                        taken.set(n);
                    }
                });
            }
            return taken;
        }

        void forget(String port) {
            requested = requested.minus(port);
        }

        Slot own(DesiredPort wanted) {
            BridgePort there = actual.named(wanted.name());
            if (there != null && there.owned()) {
                // A live port keeps its number; the request stays as it was made, so the wish does not change.
                DesiredPort p = there.ofportRequest().map(wanted::withOfportRequest)
                        .orElseGet(wanted::withoutOfportRequest);
                return new Slot(p, there.ofport().or(there::ofportRequest).orElse(null));
            }
            if (there != null) {
                // Someone else's port has this name: Weft leaves it alone and cannot make its own.
                return new Slot(wanted, there.ofport().orElse(null));
            }
            Integer n = previous.get(wanted.name());
            if (n != null && actual.holds(n)) {
                n = null; // another port got that number meanwhile: ask for a new one
            }
            if (n == null && wanted.ofportRequest().isPresent() && !taken().get(wanted.ofportRequest().getAsInt())) {
                n = wanted.ofportRequest().getAsInt(); // a tunnel's number, the same on every host
            }
            if (n == null) {
                n = taken().nextClearBit(DesiredPort.FIRST_ENDPOINT_OFPORT);
                if (n > DesiredPort.LAST_REQUESTED_OFPORT) {
                    exhausted = true;
                    return new Slot(wanted, null); // no number left to ask for: OVS picks one, flows wait for it
                }
            }
            if (taken != null) {
                taken.set(n);
            }
            requested = requested.plus(wanted.name(), n);
            return new Slot(wanted.withOfportRequest(n), n);
        }
    }
}
