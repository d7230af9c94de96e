package io.weft.controller.store;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Network;

/** One change to the intent; a commit applies a list of them atomically. */
public sealed interface Mutation {

    record PutHost(Host host) implements Mutation {
    }

    record DeleteHost(String name) implements Mutation {
    }

    record PutNetwork(Network network) implements Mutation {
    }

    record DeleteNetwork(String name) implements Mutation {
    }

    record PutEndpoint(Endpoint endpoint) implements Mutation {
    }

    record DeleteEndpoint(EndpointId id) implements Mutation {
    }
}
