package io.weft.model;

/** Endpoints are named within their network: {@code red/c1} and {@code green/c1} are different endpoints. */
public record EndpointId(String network, String name) implements Comparable<EndpointId> {

    public EndpointId {
        Names.require("network", network);
        Names.require("endpoint", name);
    }

    @Override
    public int compareTo(EndpointId o) {
        int c = network.compareTo(o.network);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return network + "/" + name;
    }
}
