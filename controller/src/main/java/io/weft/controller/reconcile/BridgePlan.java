package io.weft.controller.reconcile;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import io.weft.model.ovs.Ownership;
import io.weft.routing.TunnelPlan;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

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
 * @param bridge      the bridge Weft wants: its own tunnel and endpoint ports
 * @param ofports     the ofport of every port the host's flows use, by port name (an endpoint by its
 *                    {@link Endpoint#port()}): what OVS assigned, or what Weft asked for while OVS has not yet
 * @param requested   the numbers this plan asked for, by port name, for ports not in the cache yet
 * @param unconfirmed endpoints whose ofport the cache does not show yet (asked for, or a foreign port not there yet)
 * @param failed      endpoints whose interface OVS could not open, with OVS's reason; those Weft made keep their
 *                    requested number, so their flows are ready the moment the device appears
 * @param moved       the ports whose entry in {@code ofports} differs from the previous plan's (changed, new or gone)
 * @param madeFor     the endpoint each of Weft's endpoint ports was made for, so that the next plan reuses the port
 *                    of an unchanged endpoint (same instance: comparing bridges is then mostly identity checks)
 */
record BridgePlan(DesiredBridge bridge, PMap<String, Integer> ofports, Map<String, Integer> requested,
                  Set<EndpointId> unconfirmed, Map<EndpointId, String> failed, Set<String> moved,
                  Map<Endpoint, DesiredPort> madeFor) {

    static final BridgePlan NONE = new BridgePlan(null, HashTreePMap.empty(), Map.of(), Set.of(), Map.of(), Set.of(),
            Map.of());

    /**
     * @param hosts     every host of the intent (tunnels go to each other one)
     * @param endpoints the endpoints placed on {@code host}
     * @param actual    br-int's ports as the host's OVSDB cache shows them
     * @param previous  the plan before this one, whose requested numbers are kept
     */
    static BridgePlan of(Host host, Collection<Host> hosts, Collection<Endpoint> endpoints, BridgePorts actual,
                         List<String> controllerTargets, BridgePlan previous) {
        Allocator allocator = new Allocator(actual, previous.requested());
        List<DesiredPort> ports = new ArrayList<>();
        Ofports ofports = new Ofports(previous.ofports());
        Set<EndpointId> unconfirmed = new TreeSet<>();
        Map<EndpointId, String> failed = new HashMap<>();
        Map<Endpoint, DesiredPort> madeFor = new IdentityHashMap<>();

        for (TunnelPort t : TunnelPlan.forHost(host, hosts)) {
            Slot slot = allocator.own(t.toDesiredPort());
            ports.add(slot.port());
            ofports.put(t.portName(), slot.ofport());
        }
        for (Endpoint e : endpoints) {
            BridgePort named = actual.named(e.port());
            BridgePort foreign = named != null && !named.owned() ? named : null;
            if (actual.hasForeignIfaceIds()) {
                BridgePort byIfaceId = actual.foreignWithIfaceId(e.id().toString());
                if (byIfaceId == null) {
                    byIfaceId = actual.foreignWithIfaceId(e.id().name());
                }
                foreign = byIfaceId != null ? byIfaceId : foreign;
            }
            Integer ofport;
            Optional<String> error;
            if (foreign != null) {
                ofport = foreign.ofport().orElse(null);
                error = foreign.error();
                if (ofport == null && error.isEmpty()) {
                    unconfirmed.add(e.id());
                }
            } else {
                DesiredPort made = previous.madeFor().get(e);
                Slot slot = allocator.own(made != null ? made : endpointPort(e));
                ports.add(slot.port());
                madeFor.put(e, slot.port());
                ofport = slot.ofport();
                error = named == null ? Optional.empty() : named.error();
                if ((named == null || named.ofport().isEmpty()) && error.isEmpty()) {
                    unconfirmed.add(e.id());
                }
            }
            error.ifPresent(why -> failed.put(e.id(), why));
            ofports.put(e.port(), ofport);
        }
        DesiredBridge bridge = new DesiredBridge(DesiredBridge.INTEGRATION_BRIDGE, host.datapathType(),
                controllerTargets, ports);
        ofports.dropUnseen();
        return new BridgePlan(bridge, ofports.map, Map.copyOf(allocator.requested), Set.copyOf(unconfirmed),
                Map.copyOf(failed), Set.copyOf(ofports.moved), madeFor);
    }

    /**
     * The plan's ofports, built as changes to the previous plan's: when nothing moved it is the same map, and what
     * moved is known without comparing the two.
     */
    private static final class Ofports {
        PMap<String, Integer> map;
        final Set<String> seen = new HashSet<>();
        final Set<String> moved = new HashSet<>();

        Ofports(PMap<String, Integer> previous) {
            this.map = previous;
        }

        /** @param ofport null while unknown */
        void put(String port, Integer ofport) {
            seen.add(port);
            if (!Objects.equals(map.get(port), ofport)) {
                map = ofport == null ? map.minus(port) : map.plus(port, ofport);
                moved.add(port);
            }
        }

        void dropUnseen() {
            for (String port : map.keySet()) {
                if (!seen.contains(port)) {
                    moved.add(port);
                }
            }
            map = map.minusAll(moved.stream().filter(p -> !seen.contains(p)).toList());
        }
    }

    static DesiredPort endpointPort(Endpoint e) {
        return new DesiredPort(e.port(), "", Map.of(), Map.of(
                Ownership.OWNER_KEY, Ownership.OWNER_VALUE,
                Ownership.ENDPOINT_KEY, e.id().toString(),
                Ownership.NETWORK_KEY, e.network(),
                Ownership.IFACE_ID_KEY, e.id().toString()));
    }

    /** A Weft port of the plan and the ofport its flows use (null while unknown). */
    private record Slot(DesiredPort port, Integer ofport) {
    }

    /** Hands out requested port numbers: the previous plan's first, then the lowest free one of the upper half. */
    private static final class Allocator {
        /** Numbers ports in the cache hold or asked for. */
        private final BitSet inCache;
        /** Those, and the ones this plan and the previous plan's pending ports ask for. */
        private final BitSet taken;
        private final BridgePorts actual;
        private final Map<String, Integer> previous;
        final Map<String, Integer> requested = new HashMap<>();

        Allocator(BridgePorts actual, Map<String, Integer> previous) {
            this.inCache = actual.numbers();
            this.taken = actual.numbers();
            this.actual = actual;
            this.previous = previous;
            // Numbers a pending port of the previous plan still waits for are not free for another port.
            previous.forEach((name, n) -> {
                if (actual.named(name) == null) {
                    taken.set(n);
                }
            });
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
            if (n != null && inCache.get(n)) {
                n = null; // another port got that number meanwhile: ask for a new one
            }
            if (n == null && wanted.ofportRequest().isPresent() && !taken.get(wanted.ofportRequest().getAsInt())) {
                n = wanted.ofportRequest().getAsInt(); // a tunnel's number, the same on every host
            }
            if (n == null) {
                n = taken.nextClearBit(DesiredPort.FIRST_ENDPOINT_OFPORT);
                if (n > DesiredPort.LAST_REQUESTED_OFPORT) {
                    return new Slot(wanted, null); // no number left to ask for: OVS picks one, flows wait for it
                }
            }
            taken.set(n);
            requested.put(wanted.name(), n);
            return new Slot(wanted.withOfportRequest(n), n);
        }
    }
}
