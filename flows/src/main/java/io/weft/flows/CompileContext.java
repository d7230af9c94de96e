package io.weft.flows;

import io.weft.model.EndpointId;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.FlowRule;
import io.weft.routing.NetworkEndpoints;
import io.weft.routing.NextHops;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What compiling several hosts from one snapshot can share: next-hop resolvers per host, a network's flows, an
 * endpoint's flows that every host holds, and its remote view, which is the same on every host with the same tunnel
 * ofport toward it. Flows are immutable, so shared lists are safe (and save memory).
 */
final class CompileContext {

    private record RemoteView(EndpointId id, int tunnelOfport) {
    }

    final NetworkSnapshot snapshot;
    private final boolean share;
    private final Map<String, NextHops> nextHops = new HashMap<>();
    private final Map<String, List<FlowRule>> networkFlows = new HashMap<>();
    private final Map<RemoteView, List<FlowRule>> remoteViews = new HashMap<>();
    private final Map<EndpointId, List<FlowRule>> anywhere = new HashMap<>();

    /** @param share memoise network flows and remote views (worth it for more than one host) */
    CompileContext(NetworkSnapshot snapshot, boolean share) {
        this.snapshot = snapshot;
        this.share = share;
    }

    NextHops nextHops(String host) {
        return nextHops.computeIfAbsent(host, h -> new NextHops(snapshot, h));
    }

    boolean isPresent(String network, String host) {
        return NetworkEndpoints.isPresentOn(snapshot, network, host);
    }

    void addNetworkFlows(Network network, List<FlowRule> out) {
        if (!share) {
            NetworkFlowsCompiler.addTo(network, out);
            return;
        }
        out.addAll(networkFlows.computeIfAbsent(network.name(), n -> {
            List<FlowRule> flows = new ArrayList<>();
            NetworkFlowsCompiler.addTo(network, flows);
            return List.copyOf(flows);
        }));
    }

    /**
     * What every host of an endpoint's network holds for it, its own host too (ARP answer, routes): compiled once when
     * sharing, so that its own host and the others hold the same rules, not equal copies.
     */
    List<FlowRule> anywhere(EndpointId id, java.util.function.Supplier<List<FlowRule>> compile) {
        return share ? anywhere.computeIfAbsent(id, k -> compile.get()) : compile.get();
    }

    /** The remote view of an endpoint toward a tunnel ofport (0: tunnel not bound), compiled once when sharing. */
    List<FlowRule> remoteView(EndpointId id, int tunnelOfport, java.util.function.Supplier<List<FlowRule>> compile) {
        return share ? remoteViews.computeIfAbsent(new RemoteView(id, tunnelOfport), k -> compile.get())
                : compile.get();
    }
}
