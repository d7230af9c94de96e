package io.weft.flows;

import io.weft.model.Encapsulation;
import io.weft.model.NetworkSnapshot;
import io.weft.model.TunnelPort;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Walks a packet across hosts: an output on a tunnel port continues on the peer's flows, entering on the peer's
 * tunnel port back toward the sender (same encapsulation) with {@code tun_id} kept; outputs on other ports are
 * deliveries. The underlay is assumed to deliver every tunnelled packet.
 */
public final class FabricWalker {

    private static final int MAX_HOPS = 16;

    /** A copy of the packet leaving {@code host} on a non-tunnel port. */
    public record Delivery(String host, long port, String portName, Packet packet) {
    }

    /** The pipeline run on one host. */
    public record Hop(String host, long inPort, Trace trace) {
    }

    /** Every host visited, and where copies of the packet ended up. */
    public record FabricTrace(List<Hop> hops, List<Delivery> deliveries) {
        public FabricTrace {
            hops = List.copyOf(hops);
            deliveries = List.copyOf(deliveries);
        }

        public boolean isDropped() {
            return deliveries.isEmpty();
        }

        public Delivery singleDelivery() {
            if (deliveries.size() != 1) {
                throw new IllegalStateException("expected one delivery, got " + deliveries + "\n" + describe());
            }
            return deliveries.get(0);
        }

        public String describe() {
            StringBuilder sb = new StringBuilder();
            for (Hop h : hops) {
                sb.append("== ").append(h.host()).append(" in_port=").append(h.inPort()).append('\n')
                        .append(h.trace().describe()).append('\n');
            }
            return sb.toString();
        }
    }

    /** The far end of a tunnel port: the peer host and the encapsulation. */
    public record TunnelEnd(String peer, Encapsulation encapsulation) {
    }

    private final NetworkSnapshot snapshot;
    private final Function<String, List<FlowRule>> flowsOf;
    private final Map<String, PacketWalker> walkers = new HashMap<>();
    private final Map<String, Map<Long, String>> portNames = new HashMap<>();

    public FabricWalker(NetworkSnapshot snapshot, Map<String, List<FlowRule>> flowsByHost) {
        this(snapshot, Map.copyOf(flowsByHost)::get);
    }

    /**
     * @param flowsOf a host's flows, asked for the first time a walk reaches the host (null: the host has none, and
     *                the walk fails), e.g. read from its switch then
     */
    private FabricWalker(NetworkSnapshot snapshot, Function<String, List<FlowRule>> flowsOf) {
        this.snapshot = snapshot;
        this.flowsOf = flowsOf;
        snapshot.ofports().forEach((host, ports) -> {
            Map<Long, String> names = new HashMap<>();
            ports.forEach((name, ofport) -> names.put((long) ofport, name));
            portNames.put(host, names);
        });
    }

    /** Compiles every host of the snapshot with {@link FlowCompiler#compile} and walks over the result. */
    public static FabricWalker compiled(NetworkSnapshot snapshot) {
        Map<String, List<FlowRule>> flows = new HashMap<>();
        for (String host : snapshot.hosts().keySet()) {
            flows.put(host, FlowCompiler.compile(snapshot, host).flows());
        }
        return new FabricWalker(snapshot, flows);
    }

    /**
     * Walks over each host's flows as {@code flowsOf} gives them, asked only for the hosts a walk reaches: a trace
     * reads the switches on the packet's path, not every switch.
     */
    public static FabricWalker onDemand(NetworkSnapshot snapshot, Function<String, List<FlowRule>> flowsOf) {
        return new FabricWalker(snapshot, flowsOf);
    }

    /** Walks over the given hosts' flows, e.g. those a controller holds or read back from switches. */
    public static FabricWalker over(NetworkSnapshot snapshot, Map<String, HostFlows> flows) {
        Map<String, List<FlowRule>> byHost = new HashMap<>();
        flows.forEach((host, f) -> byHost.put(host, f.flows()));
        return new FabricWalker(snapshot, byHost);
    }

    public FabricTrace walk(String host, Packet packet, long inPort) {
        List<Hop> hops = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        Deque<Hop> pending = new ArrayDeque<>();
        pending.add(new Hop(host, inPort, walker(host).walk(packet, inPort)));
        while (!pending.isEmpty()) {
            Hop hop = pending.poll();
            hops.add(hop);
            for (Trace.Output out : hop.trace().outputs()) {
                String name = portNames.getOrDefault(hop.host(), Map.of()).get(out.port());
                Optional<TunnelEnd> tunnel = tunnelEnd(snapshot, hop.host(), name);
                if (tunnel.isEmpty()) {
                    deliveries.add(new Delivery(hop.host(), out.port(), name, out.packet()));
                    continue;
                }
                String peer = tunnel.get().peer();
                OptionalInt back = snapshot.ofport(peer, TunnelPort.portName(hop.host(), tunnel.get().encapsulation()));
                if (back.isEmpty() || hops.size() + pending.size() >= MAX_HOPS) {
                    continue; // the far end of the tunnel does not exist (yet): lost in the underlay
                }
                Packet carried = out.packet().with(Field.TUNNEL_ID, out.packet().get(Field.TUNNEL_ID).orElse(0));
                pending.add(new Hop(peer, back.getAsInt(), walker(peer).walk(carried, back.getAsInt())));
            }
        }
        return new FabricTrace(hops, deliveries);
    }

    private PacketWalker walker(String host) {
        return walkers.computeIfAbsent(host, h -> {
            List<FlowRule> flows = flowsOf.apply(h);
            if (flows == null) {
                throw new IllegalArgumentException("no flows for host " + h);
            }
            return new PacketWalker(flows);
        });
    }

    /** Whether a port of a host is its tunnel toward a peer, by Weft's tunnel port naming. */
    public static Optional<TunnelEnd> tunnelEnd(NetworkSnapshot snapshot, String host, String portName) {
        if (portName == null) {
            return Optional.empty();
        }
        for (String peer : snapshot.hosts().keySet()) {
            for (Encapsulation e : Encapsulation.values()) {
                if (!peer.equals(host) && TunnelPort.portName(peer, e).equals(portName)) {
                    return Optional.of(new TunnelEnd(peer, e));
                }
            }
        }
        return Optional.empty();
    }
}
