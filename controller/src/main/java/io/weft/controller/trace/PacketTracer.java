package io.weft.controller.trace;

import io.weft.controller.trace.TraceExplainer.Explained;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.HostUnreadableException;
import io.weft.flows.FabricWalker;
import io.weft.flows.FabricWalker.FabricTrace;
import io.weft.flows.FabricWalker.Hop;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.FlowRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Traces a packet through the flows the switches on its path hold now: reads the sender's host's switch, walks the
 * packet with the flows module's {@link FabricWalker} (reading each further host's switch as the walk reaches it),
 * names every step ({@link TraceExplainer}) and lists, per host on the path, where its switch differs from what Weft
 * wants.
 */
public final class PacketTracer {

    private final ControllerView view;

    public PacketTracer(ControllerView view) {
        this.view = view;
    }

    /**
     * @throws TraceQueryException     for an unknown network, endpoint, protocol or a malformed address
     * @throws HostUnreadableException when a host on the path cannot be read
     */
    public PacketTrace trace(TraceQuery query) {
        NetworkSnapshot snapshot = view.snapshot();
        Probe probe = Probe.of(snapshot, query);
        if (probe.inPort().isEmpty()) {
            return result(query, probe, TraceExplainer.notOnBridge(probe), Map.of());
        }
        Map<String, List<FlowRule>> read = new LinkedHashMap<>();
        FabricWalker walker = FabricWalker.onDemand(snapshot, host -> read.computeIfAbsent(host, this::readNow));
        FabricTrace walk = walker.walk(probe.from().host(), probe.packet(), probe.inPort().getAsInt());
        return result(query, probe, TraceExplainer.explain(snapshot, probe, walk), onPath(walk, read));
    }

    private List<FlowRule> readNow(String host) {
        try {
            return view.readFlows(host).join().rules();
        } catch (CompletionException e) {
            if (e.getCause() instanceof HostUnreadableException u) {
                throw u;
            }
            throw new HostUnreadableException(host, String.valueOf(e.getCause()));
        }
    }

    /** The flows read from the hosts the walk visited, in the order it visited them. */
    private static Map<String, List<FlowRule>> onPath(FabricTrace walk, Map<String, List<FlowRule>> read) {
        Set<String> hosts = new LinkedHashSet<>();
        walk.hops().stream().map(Hop::host).forEach(hosts::add);
        Map<String, List<FlowRule>> out = new LinkedHashMap<>();
        hosts.forEach(h -> out.put(h, read.get(h)));
        return out;
    }

    private PacketTrace result(TraceQuery q, Probe probe, Explained e, Map<String, List<FlowRule>> installed) {
        List<PacketTrace.Difference> differences = new ArrayList<>();
        installed.forEach((host, flows) -> FlowDifferences.of(host, view.desiredFlows(host), flows)
                .ifPresent(differences::add));
        return new PacketTrace(probe.network().name(), probe.from().id().name(), q.to(), probe.proto(), e.verdict(),
                e.reason(), e.deliveredTo(), e.steps(), differences);
    }
}
