package io.weft.flows;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.FlowRule;
import io.weft.routing.NetworkEndpoints;
import io.weft.routing.SnapshotCheck;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compiles a {@link NetworkSnapshot} into each host's flows: a pure function, no I/O.
 *
 * <p>Flows are produced per object (pipeline skeleton, host, network on a host, endpoint seen from a host), each
 * object's flows carrying its cookie. {@link #compile} is the reference; {@link #delta} recomputes only the objects a
 * change touches, and the tests prove that applying it to the old compile gives the new one.
 */
public final class FlowCompiler {

    private FlowCompiler() {
    }

    /**
     * All flows {@code host} should hold.
     *
     * @throws IllegalArgumentException for an unknown host or a snapshot {@link SnapshotCheck} rejects
     */
    public static HostFlows compile(NetworkSnapshot snapshot, String host) {
        requireHost(snapshot, host);
        SnapshotCheck.requireValid(snapshot);
        return new HostFlows(host, compileUnchecked(new CompileContext(snapshot, false), host));
    }

    /**
     * The flows of several hosts. Flows that are the same on several hosts (an endpoint's ARP answer, routes and
     * tunnel entry; a network's flows) are compiled once and shared, which is faster and smaller than one compile per
     * host.
     *
     * @throws IllegalArgumentException for an unknown host or a snapshot {@link SnapshotCheck} rejects
     */
    public static Map<String, HostFlows> compile(NetworkSnapshot snapshot, Collection<String> hosts) {
        hosts.forEach(h -> requireHost(snapshot, h));
        SnapshotCheck.requireValid(snapshot);
        CompileContext ctx = new CompileContext(snapshot, true);
        Map<String, HostFlows> result = new TreeMap<>();
        for (String host : hosts) {
            result.put(host, new HostFlows(host, compileUnchecked(ctx, host)));
        }
        return result;
    }

    static List<FlowRule> compileUnchecked(CompileContext ctx, String host) {
        NetworkSnapshot snapshot = ctx.snapshot;
        List<FlowRule> out = new ArrayList<>(SkeletonFlows.FLOWS);
        HostFlowsCompiler.addTo(snapshot, host, out);
        SortedSet<String> present = new TreeSet<>();
        snapshot.index().on(host).forEach(e -> present.add(e.network()));
        for (String name : present) {
            ctx.addNetworkFlows(snapshot.networks().get(name), out);
            for (Endpoint e : NetworkEndpoints.of(snapshot, name)) {
                EndpointFlowsCompiler.addTo(ctx, e, host, out);
            }
        }
        return out;
    }

    /**
     * The change of every host's flows from {@code before} to {@code after}; hosts without change are absent. A host
     * that left has all its flows removed. Finds what changed by comparing the snapshots; see
     * {@link #delta(NetworkSnapshot, NetworkSnapshot, SnapshotChange)}.
     *
     * @throws IllegalArgumentException if a changed endpoint is inconsistent in {@code after}
     */
    public static Map<String, FlowDelta> delta(NetworkSnapshot before, NetworkSnapshot after) {
        return delta(before, after, SnapshotChange.between(before, after));
    }

    /**
     * The change of every host's flows from {@code before} to {@code after}, given what differs between them
     * ({@code change} may name more than differs, never less). Endpoint changes are incremental: each changed
     * endpoint is recomputed on every host (its network's flows too where its network appears or goes); a rebound
     * endpoint port only on its own host. A change of hosts or networks recompiles every host, of tunnel ports the
     * hosts concerned.
     *
     * @throws IllegalArgumentException if a changed endpoint is inconsistent in {@code after}
     */
    public static Map<String, FlowDelta> delta(NetworkSnapshot before, NetworkSnapshot after, SnapshotChange change) {
        Set<String> hosts = new TreeSet<>(before.hosts().keySet());
        hosts.addAll(after.hosts().keySet());
        if (change.topology()) {
            SnapshotCheck.requireValid(after);
            Map<String, FlowDelta> all = recompile(before, after, hosts);
            all.values().removeIf(FlowDelta::isEmpty);
            return all;
        }
        for (EndpointId id : change.endpoints()) {
            Endpoint e = after.endpoints().get(id);
            if (e != null) {
                List<String> problems = SnapshotCheck.problemsOf(after, e);
                if (!problems.isEmpty()) {
                    throw new IllegalArgumentException(String.join("; ", problems));
                }
            }
        }
        Set<String> recompile = new TreeSet<>(change.tunnels());
        recompile.retainAll(hosts);
        Map<String, FlowDelta> result = incremental(before, after, change, hosts, recompile);
        result.putAll(recompile(before, after, recompile));
        result.values().removeIf(FlowDelta::isEmpty);
        return result;
    }

    private static Map<String, FlowDelta> recompile(NetworkSnapshot before, NetworkSnapshot after, Set<String> hosts) {
        Map<String, FlowDelta> result = new TreeMap<>();
        CompileContext b0 = new CompileContext(before, true);
        CompileContext a0 = new CompileContext(after, true);
        for (String host : hosts) {
            List<FlowRule> b = before.hosts().containsKey(host) ? compileUnchecked(b0, host) : List.of();
            List<FlowRule> a = after.hosts().containsKey(host) ? compileUnchecked(a0, host) : List.of();
            result.put(host, FlowDelta.between(b, a));
        }
        return result;
    }

    private static Map<String, FlowDelta> incremental(NetworkSnapshot before, NetworkSnapshot after,
                                                      SnapshotChange change, Set<String> hosts, Set<String> skip) {
        if (change.endpoints().isEmpty() && change.rebound().isEmpty()) {
            return new TreeMap<>();
        }
        CompileContext b0 = new CompileContext(before, true);
        CompileContext a0 = new CompileContext(after, true);
        // Per host, the networks whose presence flipped, and the endpoints whose view must be recomputed there.
        Map<String, Set<String>> networksByHost = new HashMap<>();
        Map<String, Set<EndpointId>> endpointsByHost = new HashMap<>();
        change.rebound().forEach((host, ids) -> endpointsByHost.computeIfAbsent(host, h -> new TreeSet<>())
                .addAll(ids));
        for (EndpointId id : change.endpoints()) {
            for (Endpoint e : endpointsOf(before, after, id)) {
                String host = e.host();
                if (b0.isPresent(id.network(), host) != a0.isPresent(id.network(), host)) {
                    networksByHost.computeIfAbsent(host, h -> new TreeSet<>()).add(id.network());
                    Set<EndpointId> ids = endpointsByHost.computeIfAbsent(host, h -> new TreeSet<>());
                    NetworkEndpoints.of(before, id.network()).forEach(x -> ids.add(x.id()));
                    NetworkEndpoints.of(after, id.network()).forEach(x -> ids.add(x.id()));
                }
            }
        }
        Map<String, FlowDelta> result = new TreeMap<>();
        for (String host : hosts) {
            if (skip.contains(host)) {
                continue;
            }
            Set<EndpointId> ids = endpointsByHost.get(host);
            if (ids == null) {
                ids = change.endpoints();
            } else {
                ids.addAll(change.endpoints());
            }
            if (ids.isEmpty()) {
                continue;
            }
            Set<String> networks = networksByHost.getOrDefault(host, Set.of());
            result.put(host, FlowDelta.between(view(b0, host, networks, ids), view(a0, host, networks, ids)));
        }
        return result;
    }

    /** The flows of the given objects on {@code host}. */
    private static List<FlowRule> view(CompileContext ctx, String host, Set<String> networks, Set<EndpointId> ids) {
        List<FlowRule> out = new ArrayList<>();
        if (!ctx.snapshot.hosts().containsKey(host)) {
            return out;
        }
        for (String n : networks) {
            if (ctx.isPresent(n, host)) {
                ctx.addNetworkFlows(ctx.snapshot.networks().get(n), out);
            }
        }
        for (EndpointId id : ids) {
            Endpoint e = ctx.snapshot.endpoints().get(id);
            if (e != null) {
                EndpointFlowsCompiler.addTo(ctx, e, host, out);
            }
        }
        return out;
    }

    private static List<Endpoint> endpointsOf(NetworkSnapshot before, NetworkSnapshot after, EndpointId id) {
        List<Endpoint> list = new ArrayList<>(2);
        if (before.endpoints().get(id) != null) {
            list.add(before.endpoints().get(id));
        }
        if (after.endpoints().get(id) != null) {
            list.add(after.endpoints().get(id));
        }
        return list;
    }

    private static void requireHost(NetworkSnapshot snapshot, String host) {
        Host h = snapshot.hosts().get(Objects.requireNonNull(host, "host"));
        if (h == null) {
            throw new IllegalArgumentException("host " + host + " is not in snapshot " + snapshot.revision());
        }
    }
}
