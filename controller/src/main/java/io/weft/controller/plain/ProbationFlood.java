package io.weft.controller.plain;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the controller floods itself while ports probe. Nothing floods out of a probing port (it may be a cable to
 * another switch), so a broadcast, or a frame for a host not learned yet, would miss a host sitting behind one. While
 * a switch has probing ports its flows report such frames ({@link PlainFlows}); the controller sends each out of the
 * probing ports the switches' own flooding cannot reach, once:
 * <ul>
 * <li>a frame that came in on a probing port (a host there; the switch's flows dropped it): out of every host port and
 * every probing port of every switch, but the one it came in on;</li>
 * <li>a frame a switch's flooding reported (from a host port or over the spanning tree): out of that switch's probing
 * ports.</li>
 * <li>a frame for a learned host that reached a switch's forwarding table before the flow toward that host did: out
 * of the host's port.</li>
 * </ul>
 * A frame the controller sent out of a probing port that was in fact a cable comes back from the switch at the other
 * end, on a probing port: a frame already flooded, arriving on a probing port that did not report it first, is such
 * an echo, neither flooded again nor learned from (its sender is not there). A switch that reports the same frame
 * twice (its table-miss copy, then its flood copy) floods it once. So each switch sends a frame out at most once:
 * loop-free by construction. Remembered for {@link #WINDOW}; time is passed in. Not thread-safe.
 */
public final class ProbationFlood {

    /** How long a frame is remembered: far longer than a packet-in round trip, shorter than ARP's 1 s retry. */
    static final Duration WINDOW = Duration.ofMillis(500);

    /** Packet-outs to send: out of {@code ports} of switch {@code dpid}. */
    public record Out(long dpid, List<Long> ports) {
    }

    /** Whether the frame's sender may be learned where it came in, and what to send. */
    public record Verdict(boolean learn, List<Out> outs) {
        static final Verdict IGNORE = new Verdict(false, List.of());
        static final Verdict LEARN_ONLY = new Verdict(true, List.of());
    }

    private record Seen(Set<PortRef> reportedAt, Instant first) {
    }

    private final Map<ByteBuffer, Seen> recent = new HashMap<>();

    /**
     * {@code frame} (not LLDP) came in on {@code at} and was reported to the controller; {@code byForwarding} when by
     * the forwarding table (its flooding or probing-port flows, so the switch had no flow toward its destination),
     * rather than by the learning table's miss.
     */
    public Verdict packetIn(PortRef at, byte[] frame, boolean byForwarding, Topology t, Instant now) {
        forget(now);
        if (t.probing().isEmpty() || frame.length < 14) {
            return Verdict.LEARN_ONLY;
        }
        ByteBuffer key = ByteBuffer.wrap(frame.clone());
        Seen seen = recent.get(key);
        if (seen != null) {
            if (seen.reportedAt().contains(at)) {
                return Verdict.LEARN_ONLY;              // reported twice by its switch, or sent again by its host
            }
            if (t.probing().contains(at)) {
                return Verdict.IGNORE;                   // an echo of what was sent out of a probing port
            }
        }
        Optional<LearnedHost> to = learnedDestination(frame, t);
        if (to.isPresent() && !byForwarding) {
            return Verdict.LEARN_ONLY;                  // the switches' flows take it there
        }
        Map<Long, List<Long>> outs = new TreeMap<>();
        if (to.isPresent()) {
            add(outs, to.get().at(), at);               // learned, its flows not yet on this switch: straight there
        } else if (t.probing().contains(at)) {
            for (PortRef p : t.edgePorts()) {
                add(outs, p, at);
            }
            for (PortRef p : t.probing()) {
                add(outs, p, at);
            }
        } else {
            Topology.onSwitch(t.probing(), at.dpid()).forEach(p -> add(outs, p, at));
        }
        Seen entry = seen != null ? seen : new Seen(new HashSet<>(), now);
        entry.reportedAt().add(at);
        recent.put(key, entry);
        List<Out> out = new ArrayList<>();
        outs.forEach((dpid, ports) -> out.add(new Out(dpid, List.copyOf(ports))));
        return new Verdict(true, out);
    }

    private static void add(Map<Long, List<Long>> outs, PortRef p, PortRef except) {
        if (!p.equals(except)) {
            outs.computeIfAbsent(p.dpid(), d -> new ArrayList<>()).add(p.port());
        }
    }

    /** The host a unicast frame is for, if the topology knows it. */
    private static Optional<LearnedHost> learnedDestination(byte[] frame, Topology t) {
        long dst = ((frame[0] & 0xffL) << 40) | ((frame[1] & 0xffL) << 32) | ((frame[2] & 0xffL) << 24)
                | ((frame[3] & 0xffL) << 16) | ((frame[4] & 0xffL) << 8) | (frame[5] & 0xffL);
        return (frame[0] & 1) == 0 ? Optional.ofNullable(t.hosts().get(dst)) : Optional.empty();
    }

    private void forget(Instant now) {
        for (Iterator<Seen> i = recent.values().iterator(); i.hasNext(); ) {
            if (!i.next().first().plus(WINDOW).isAfter(now)) {
                i.remove();
            }
        }
    }
}
