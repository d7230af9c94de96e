package io.weft.routing;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.NetworkSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The endpoints of one network, read as a range of the snapshot's sorted endpoint map (ids sort by network first),
 * so that a per-endpoint delta costs the size of its network, not of the whole snapshot.
 */
public final class NetworkEndpoints {

    /** No valid endpoint name sorts before "0": names start with a letter or digit. */
    private static final String LOWEST_NAME = "0";

    private NetworkEndpoints() {
    }

    public static List<Endpoint> of(NetworkSnapshot snapshot, String network) {
        List<Endpoint> result = new ArrayList<>();
        for (Map.Entry<EndpointId, Endpoint> e
                : snapshot.endpoints().tailMap(new EndpointId(network, LOWEST_NAME)).entrySet()) {
            if (!e.getKey().network().equals(network)) {
                break;
            }
            result.add(e.getValue());
        }
        return result;
    }

    /** True when at least one endpoint of {@code network} is placed on {@code host}, bound or not. O(1). */
    public static boolean isPresentOn(NetworkSnapshot snapshot, String network, String host) {
        return snapshot.index().isPresent(network, host);
    }

    /** True when the endpoint's port has an ofport on its own host. */
    public static boolean isBound(NetworkSnapshot snapshot, Endpoint endpoint) {
        return snapshot.ofport(endpoint.host(), endpoint.port()).isPresent();
    }
}
