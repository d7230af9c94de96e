package io.weft.controller.reconcile;

import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.Host;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredPort;
import io.weft.model.ovs.Ownership;
import io.weft.routing.TunnelPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OVSDB half of one host's desired state, and how its endpoints are bound to ports. Pure.
 *
 * <p>An endpoint is bound to a port someone else added when that port's {@code iface-id} names it (as
 * {@code network/name} or just {@code name}) or when a port not owned by Weft already has the endpoint's port name;
 * otherwise Weft adds the port itself, marked as its own.
 *
 * @param ports   the Weft-owned ports the host's br-int must hold: tunnels to every peer and endpoint ports
 * @param ofports the OpenFlow port number of every port the compiler may use, keyed as the compiler looks them up
 *                ({@link TunnelPort#portName} for tunnels, {@link Endpoint#port()} for endpoints)
 * @param pending endpoints on this host with no usable ofport yet
 * @param failed  endpoints whose interface OVS could not open, with OVS's reason
 */
public record PortBindings(List<DesiredPort> ports, Map<String, Integer> ofports, List<Endpoint> pending,
                           Map<Endpoint, String> failed) {

    public static PortBindings resolve(StoreState state, String hostName, List<BridgePort> actual) {
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
        Map<String, Integer> ofports = new HashMap<>();
        List<Endpoint> pending = new ArrayList<>();
        Map<Endpoint, String> failed = new HashMap<>();

        for (TunnelPort t : TunnelPlan.forHost(state.toSnapshot(Map.of()), hostName)) {
            ports.add(t.toDesiredPort());
            Optional.ofNullable(byName.get(t.portName())).flatMap(BridgePort::ofport)
                    .ifPresent(of -> ofports.put(t.portName(), of));
        }
        for (Endpoint e : state.endpoints().values()) {
            if (host == null || !e.host().equals(hostName)) {
                continue;
            }
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
                ofports.put(e.port(), ofport.get());
            } else if (bound != null && bound.error().isPresent()) {
                failed.put(e, bound.error().get());
            } else {
                pending.add(e);
            }
        }
        return new PortBindings(List.copyOf(ports), Map.copyOf(ofports), List.copyOf(pending), Map.copyOf(failed));
    }

    /**
     * The ofports of this host's endpoints that are bound, keyed by endpoint port name: what other hosts need to know
     * (they tunnel only toward endpoints that are bound), unlike tunnel ofports, which only matter locally.
     */
    public Map<String, Integer> boundEndpointPorts(StoreState state, String hostName) {
        Map<String, Integer> out = new HashMap<>();
        for (Endpoint e : state.endpoints().values()) {
            Integer ofport = ofports.get(e.port());
            if (e.host().equals(hostName) && ofport != null) {
                out.put(e.port(), ofport);
            }
        }
        return Map.copyOf(out);
    }

    static DesiredPort endpointPort(Endpoint e) {
        return new DesiredPort(e.port(), "", Map.of(), Map.of(
                Ownership.OWNER_KEY, Ownership.OWNER_VALUE,
                Ownership.ENDPOINT_KEY, e.id().toString(),
                Ownership.NETWORK_KEY, e.network(),
                Ownership.IFACE_ID_KEY, e.id().toString()));
    }
}
