package io.weft.controller.trace;

import io.weft.model.Endpoint;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.Cookies;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whose a flow is, from its cookie: cookies are a hash of their owner's name ({@link Cookies}), so the owners of a
 * snapshot are hashed once and looked up.
 */
final class FlowOwners {

    /** A flow's owner: the pipeline, a host, a network or an endpoint. */
    sealed interface Owner permits Pipeline, HostOwner, NetworkOwner, EndpointOwner {
    }

    record Pipeline() implements Owner {
    }

    record HostOwner(String host) implements Owner {
    }

    record NetworkOwner(Network network) implements Owner {
    }

    record EndpointOwner(Endpoint endpoint) implements Owner {
    }

    private final Map<Long, Owner> byCookie = new HashMap<>();

    private FlowOwners() {
    }

    static FlowOwners of(NetworkSnapshot s) {
        FlowOwners owners = new FlowOwners();
        owners.byCookie.put(Cookies.PIPELINE, new Pipeline());
        s.hosts().keySet().forEach(h -> owners.byCookie.put(Cookies.of(Cookies.Kind.HOST, h), new HostOwner(h)));
        s.networks().values().forEach(n -> owners.byCookie.put(Cookies.of(Cookies.Kind.NETWORK, n.name()),
                new NetworkOwner(n)));
        s.endpoints().values().forEach(e -> owners.byCookie.put(Cookies.of(Cookies.Kind.ENDPOINT, e.id().toString()),
                new EndpointOwner(e)));
        return owners;
    }

    /** Empty for a cookie no object of the snapshot has (a flow someone else added, or a stale one). */
    Optional<Owner> of(long cookie) {
        return Optional.ofNullable(byCookie.get(cookie));
    }
}
