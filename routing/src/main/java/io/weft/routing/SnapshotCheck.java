package io.weft.routing;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the records alone cannot check and the compilers need: every endpoint names a known host and network; within
 * a network, IPs and MACs are unique, inside a subnet and distinct from the gateways; on a host, each port carries
 * one endpoint (that it is not one of Weft's own ports, a tunnel's say, {@link io.weft.model.PortNames} already
 * guarantees).
 * The flow compiler refuses a snapshot with problems (a flow for an ambiguous address would be wrong somewhere);
 * the intent layer should call {@link #problemsOf} before storing an endpoint.
 */
public final class SnapshotCheck {

    private SnapshotCheck() {
    }

    /** Every problem of the snapshot, one sentence each; empty when the compilers accept it. */
    public static List<String> problems(NetworkSnapshot snapshot) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Endpoint>> byHostPort = new HashMap<>();
        for (Network n : snapshot.networks().values()) {
            Map<Long, Endpoint> ips = new HashMap<>();
            Map<MacAddress, Endpoint> macs = new HashMap<>();
            for (Endpoint e : NetworkEndpoints.of(snapshot, n.name())) {
                addressProblems(n, e, problems);
                Endpoint ipTwin = ips.put(e.ip().asLong(), e);
                if (ipTwin != null) {
                    problems.add("network " + n.name() + ": IP " + e.ip() + " is held by both " + ipTwin.id()
                            + " and " + e.id());
                }
                Endpoint macTwin = macs.put(e.mac(), e);
                if (macTwin != null) {
                    problems.add("network " + n.name() + ": MAC " + e.mac() + " is held by both " + macTwin.id()
                            + " and " + e.id());
                }
            }
        }
        for (Endpoint e : snapshot.endpoints().values()) {
            if (!snapshot.networks().containsKey(e.network())) {
                problems.add("endpoint " + e.id() + ": network " + e.network() + " is unknown");
            }
            if (!snapshot.hosts().containsKey(e.host())) {
                problems.add("endpoint " + e.id() + ": host " + e.host() + " is unknown");
            }
            Endpoint portTwin = byHostPort.computeIfAbsent(e.host(), h -> new HashMap<>()).put(e.port(), e);
            if (portTwin != null) {
                problems.add("host " + e.host() + ": port " + e.port() + " is used by both " + portTwin.id()
                        + " and " + e.id());
            }
        }
        return problems;
    }

    /** The problems {@code endpoint} has (or would have) in {@code snapshot}; it need not be in it yet. */
    public static List<String> problemsOf(NetworkSnapshot snapshot, Endpoint endpoint) {
        List<String> problems = new ArrayList<>();
        Network n = snapshot.networks().get(endpoint.network());
        if (n == null) {
            return List.of("endpoint " + endpoint.id() + ": network " + endpoint.network() + " is unknown");
        }
        if (!snapshot.hosts().containsKey(endpoint.host())) {
            problems.add("endpoint " + endpoint.id() + ": host " + endpoint.host() + " is unknown");
        }
        addressProblems(n, endpoint, problems);
        // From the snapshot's index, not a scan: this runs for every announce and every changed endpoint of a delta.
        for (Endpoint other : snapshot.index().holdersOf(n.name(), endpoint.ip())) {
            if (!other.id().equals(endpoint.id())) {
                problems.add("network " + n.name() + ": IP " + endpoint.ip() + " is held by both " + other.id() + " and "
                        + endpoint.id());
            }
        }
        for (Endpoint other : snapshot.index().holdersOf(n.name(), endpoint.mac())) {
            if (!other.id().equals(endpoint.id())) {
                problems.add("network " + n.name() + ": MAC " + endpoint.mac() + " is held by both " + other.id()
                        + " and " + endpoint.id());
            }
        }
        snapshot.index().at(endpoint.host(), endpoint.port()).filter(other -> !other.equals(endpoint.id()))
                .ifPresent(other -> problems.add("host " + endpoint.host() + ": port " + endpoint.port()
                        + " is used by both " + other + " and " + endpoint.id()));
        return problems;
    }

    /** @throws IllegalArgumentException listing the problems, if any */
    public static void requireValid(NetworkSnapshot snapshot) {
        List<String> problems = problems(snapshot);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("snapshot " + snapshot.revision() + " cannot be compiled: "
                    + String.join("; ", problems));
        }
    }

    private static void addressProblems(Network n, Endpoint e, List<String> problems) {
        Subnet subnet = null;
        for (Subnet s : n.subnets()) { // a loop, not Network.subnetOf's stream: this runs per endpoint per compile
            if (s.cidr().contains(e.ip())) {
                subnet = s;
            }
            if (n.gatewayMac(s).equals(e.mac())) {
                problems.add("endpoint " + e.id() + ": MAC " + e.mac() + " is the gateway MAC of " + s.cidr());
            }
        }
        if (subnet == null) {
            problems.add("endpoint " + e.id() + ": IP " + e.ip() + " is outside the subnets of network " + n.name());
        } else if (!subnet.isAssignable(e.ip())) {
            problems.add("endpoint " + e.id() + ": IP " + e.ip() + " is the network, broadcast or gateway address of "
                    + subnet.cidr());
        }
    }
}
