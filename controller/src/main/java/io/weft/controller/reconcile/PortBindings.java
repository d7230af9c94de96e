package io.weft.controller.reconcile;

import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.Host;
import io.weft.model.NetworkSnapshot;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredPort;
import io.weft.model.ovs.Ownership;
import io.weft.routing.TunnelPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The OVSDB half of one host's desired state, and how its endpoints are bound to ports. Pure.
 *
 * <p>An endpoint is bound to a port someone else added when that port's {@code iface-id} names it (as
 * {@code network/name} or just {@code name}) or when a port not owned by Weft already has the endpoint's port name;
 * otherwise Weft adds the port itself, marked as its own.
 *
 * @param ports           the Weft-owned ports the host's br-int must hold: tunnels to every peer and endpoint ports
 * @param tunnelOfports   the OpenFlow port number of every tunnel port that has one, by {@link TunnelPort#portName}
 * @param endpointOfports the OpenFlow port number of every bound endpoint, by {@link Endpoint#port()}, which is how
 *                        the compiler looks them up
 * @param pending         endpoints on this host with no usable ofport yet
 * @param failed          endpoints whose interface OVS could not open, with OVS's reason
 */
public record PortBindings(List<DesiredPort> ports, Map<String, Integer> tunnelOfports,
                           Map<String, Integer> endpointOfports, List<Endpoint> pending, Map<Endpoint, String> failed) {

    static final PortBindings NONE = new PortBindings(List.of(), Map.of(), Map.of(), List.of(), Map.of());

    /** @param hostEndpoints the endpoints {@code state} places on the host */
    public static PortBindings resolve(StoreState state, String hostName, List<Endpoint> hostEndpoints,
                                       List<BridgePort> actual) {
        Host host = state.hosts().get(hostName);
        Map<String, BridgePort> byName = new HashMap<>();
        Map<String, BridgePort> foreignByIfaceId = new HashMap<>();
        for (BridgePort p : actual) {
            byName.put(p.name(), p);
            if (!p.owned()) {
                p.ifaceId().ifPresent(id -> foreignByIfaceId.put(id, p));
            }
        }
        List<DesiredPort> ports = new ArrayList<>();
        Map<String, Integer> tunnelOfports = new HashMap<>();
        Map<String, Integer> endpointOfports = new HashMap<>();
        List<Endpoint> pending = new ArrayList<>();
        Map<Endpoint, String> failed = new HashMap<>();

        for (TunnelPort t : TunnelPlan.forHost(hostsOnly(state), hostName)) {
            ports.add(t.toDesiredPort());
            Optional.ofNullable(byName.get(t.portName())).flatMap(BridgePort::ofport)
                    .ifPresent(of -> tunnelOfports.put(t.portName(), of));
        }
        for (Endpoint e : host == null ? List.<Endpoint>of() : hostEndpoints) {
            BridgePort bound = foreignByIfaceId.get(e.id().toString());
            if (bound == null) {
                bound = foreignByIfaceId.get(e.id().name());
            }
            if (bound == null && byName.containsKey(e.port()) && !byName.get(e.port()).owned()) {
                bound = byName.get(e.port());
            }
            if (bound == null) {
                ports.add(endpointPort(e));
                bound = byName.get(e.port());
            }
            Optional<Integer> ofport = bound == null ? Optional.empty() : bound.ofport();
            if (ofport.isPresent()) {
                endpointOfports.put(e.port(), ofport.get());
            } else if (bound != null && bound.error().isPresent()) {
                failed.put(e, bound.error().get());
            } else {
                pending.add(e);
            }
        }
        return new PortBindings(List.copyOf(ports), Map.copyOf(tunnelOfports), Map.copyOf(endpointOfports),
                List.copyOf(pending), Map.copyOf(failed));
    }

    /** Tunnels depend on hosts only; a snapshot without endpoints spares validating them all on every pass. */
    private static NetworkSnapshot hostsOnly(StoreState state) {
        return new NetworkSnapshot(state.revision(), state.hosts(), new TreeMap<>(), new TreeMap<>(), Map.of());
    }

    static DesiredPort endpointPort(Endpoint e) {
        return new DesiredPort(e.port(), "", Map.of(), Map.of(
                Ownership.OWNER_KEY, Ownership.OWNER_VALUE,
                Ownership.ENDPOINT_KEY, e.id().toString(),
                Ownership.NETWORK_KEY, e.network(),
                Ownership.IFACE_ID_KEY, e.id().toString()));
    }
}
