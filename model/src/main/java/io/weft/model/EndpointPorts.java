package io.weft.model;

import java.util.Map;
import java.util.Optional;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The endpoints of an intent by host and port, as a persistent index: adding or removing one endpoint costs
 * O(log n) and shares the rest, so every revision of the intent can carry it. It answers "which endpoint does port P
 * of host H carry" and "which endpoints are on host H" without scanning all endpoints.
 */
public final class EndpointPorts {

    public static final EndpointPorts EMPTY = new EndpointPorts(HashTreePMap.empty());

    private final PMap<String, PSortedMap<String, EndpointId>> byHost;

    private EndpointPorts(PMap<String, PSortedMap<String, EndpointId>> byHost) {
        this.byHost = byHost;
    }

    public static EndpointPorts of(Iterable<Endpoint> endpoints) {
        EndpointPorts index = EMPTY;
        for (Endpoint e : endpoints) {
            index = index.plus(e);
        }
        return index;
    }

    public EndpointPorts plus(Endpoint e) {
        PSortedMap<String, EndpointId> ports = byHost.getOrDefault(e.host(), TreePMap.empty());
        return new EndpointPorts(byHost.plus(e.host(), ports.plus(e.port(), e.id())));
    }

    /** Without {@code e}; unchanged if its port carries another endpoint. */
    public EndpointPorts minus(Endpoint e) {
        PSortedMap<String, EndpointId> ports = byHost.get(e.host());
        if (ports == null || !e.id().equals(ports.get(e.port()))) {
            return this;
        }
        PSortedMap<String, EndpointId> rest = ports.minus(e.port());
        return new EndpointPorts(rest.isEmpty() ? byHost.minus(e.host()) : byHost.plus(e.host(), rest));
    }

    /** The endpoint whose port on {@code host} is {@code port}. */
    public Optional<EndpointId> at(String host, String port) {
        PSortedMap<String, EndpointId> ports = byHost.get(host);
        return ports == null ? Optional.empty() : Optional.ofNullable(ports.get(port));
    }

    /** The endpoints on {@code host}, by port name (sorted). */
    public Map<String, EndpointId> on(String host) {
        return byHost.getOrDefault(host, TreePMap.empty());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndpointPorts other && byHost.equals(other.byHost);
    }

    @Override
    public int hashCode() {
        return byHost.hashCode();
    }

    @Override
    public String toString() {
        return "EndpointPorts" + byHost;
    }
}
