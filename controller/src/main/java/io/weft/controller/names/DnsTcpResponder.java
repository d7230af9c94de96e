package io.weft.controller.names;

import io.weft.model.Ipv4Address;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The server end of DNS over TCP (RFC 7766; RFC 1035 4.2.2: each message behind a 2-byte length), for connections
 * whose segments a switch punts to the controller and whose answers go back by packet-out. No Java library is a
 * user-space TCP endpoint, so this is a small one, just enough for DNS: a pure state machine that takes a segment (or
 * the time) and returns the segments to send. One thread calls it; {@code A} is where the asker is (its switch and
 * port), part of each connection's identity so that equal addresses in two networks never share one.
 *
 * <ul>
 *   <li>SYN: a SYN-ACK with an unpredictable initial sequence number and Weft's MSS; a retransmitted SYN gets the same
 *       SYN-ACK.</li>
 *   <li>Data is taken in order only: a segment beyond what was received is dropped and what was received is ACKed
 *       again (the peer retransmits); overlaps are trimmed. Each complete query goes to {@link Answers}; queries may be
 *       pipelined and answers may come later ({@link #answer}), in any order (RFC 7766 6.2.1.1).</li>
 *   <li>Answers are sent with the ACK piggy-backed, cut to the peer's MSS (536 without the option) and window, and
 *       retransmitted from the oldest unacknowledged byte after {@link Limits#firstRetransmit}, doubling, at most
 *       {@link Limits#retransmits} times; then the connection is reset and forgotten.</li>
 *   <li>A FIN from the peer: its queries are answered, then Weft's FIN. Idle for {@link Limits#idle}: Weft closes
 *       (FIN); silent for three times that, whatever its state: reset and forgotten. A valid RST forgets at once.</li>
 *   <li>Bounds: {@link Limits#connections} connections, {@link Limits#perAsker} per asker (a new one resets the least
 *       recently heard); a query of at most {@link Limits#maxQuery} bytes (a longer length resets), at most
 *       {@link Limits#pendingAnswers} unanswered queries and {@link Limits#sendBuffer} bytes of answers unacknowledged
 *       before more queries are read (the window then closes).</li>
 * </ul>
 */
public final class DnsTcpResponder<A> {

    /** The MSS TCP assumes of a peer that sends none (RFC 1122 4.2.2.6). */
    static final int DEFAULT_MSS = 536;

    /** The bounds of the responder; {@link #DEFAULT} is what the controller uses. */
    public record Limits(int connections, int perAsker, int maxQuery, int pendingAnswers, int sendBuffer,
                         Duration idle, Duration firstRetransmit, int retransmits, int mss) {
        public static final Limits DEFAULT = new Limits(256, 16, 4096, 4, 65536, Duration.ofSeconds(5),
                Duration.ofSeconds(1), 5, 1460);
    }

    /** One connection: the asker, and the peer's and Weft's addresses and ports (Weft's are where the query went). */
    public record ConnectionId<A>(A asker, Ipv4Address peerIp, int peerPort, Ipv4Address localIp, int localPort) {
    }

    /** A segment to send to {@code asker}. */
    public record Out<A>(A asker, TcpSegment segment) {
    }

    /** What the responder does with a complete query. */
    @FunctionalInterface
    public interface Answers<A> {
        /**
         * The answer at once, or empty when it comes later through {@link DnsTcpResponder#answer}; an empty array
         * (at once or later) when the message is no query: the connection is reset.
         */
        Optional<byte[]> query(ConnectionId<A> id, byte[] message);
    }

    private enum State { SYN_RECEIVED, ESTABLISHED }

    private final Limits limits;
    private final Random isn;
    /** In order of last segment heard: the first is the one to reset when a new connection needs room. */
    private final LinkedHashMap<ConnectionId<A>, Connection> connections = new LinkedHashMap<>(16, 0.75f, true);

    public DnsTcpResponder(Limits limits) {
        this(limits, new SecureRandom());
    }

    DnsTcpResponder(Limits limits, Random isn) {
        this.limits = limits;
        this.isn = isn;
    }

    public int connections() {
        return connections.size();
    }

    /** A segment from {@code asker}: what to send back (possibly nothing). */
    public List<Out<A>> receive(A asker, TcpSegment in, long nowMillis, Answers<A> answers) {
        ConnectionId<A> id = new ConnectionId<>(asker, in.srcIp(), in.srcPort(), in.dstIp(), in.dstPort());
        List<Out<A>> out = new ArrayList<>();
        Connection c = connections.get(id);
        if (in.has(TcpSegment.SYN) && !in.has(TcpSegment.ACK) && !in.has(TcpSegment.RST)) {
            if (c != null && c.irs == in.seq()) {
                c.lastHeard = nowMillis;
                c.repeatHandshake(out);
                return out;
            }
            if (c != null) {
                connections.remove(id); // the peer started over on the same port
            }
            makeRoom(asker, out);
            c = new Connection(id, in, nowMillis);
            connections.put(id, c);
            c.sendSynAck(out);
            c.retransmitAt = nowMillis + c.rto;
            return out;
        }
        if (c == null) {
            if (!in.has(TcpSegment.RST)) {
                out.add(new Out<>(asker, resetFor(in)));
            }
            return out;
        }
        c.lastHeard = nowMillis;
        c.receive(in, nowMillis, answers, out);
        return out;
    }

    /** A query's answer that came later: sent on its connection, if that is still there. */
    public List<Out<A>> answer(ConnectionId<A> id, byte[] message, long nowMillis, Answers<A> answers) {
        List<Out<A>> out = new ArrayList<>();
        Connection c = connections.get(id);
        if (c == null || c.pending == 0) {
            return out; // gone, or a new connection on the same ports that never asked it
        }
        c.pending--;
        if (message.length == 0) {
            c.reset(out);
            return out;
        }
        c.append(message);
        c.readQueries(nowMillis, answers, out);
        if (connections.get(id) == c) {
            c.transmit(nowMillis, out);
        }
        return out;
    }

    /** Retransmissions and idle timeouts due at {@code nowMillis}. */
    public List<Out<A>> tick(long nowMillis) {
        List<Out<A>> out = new ArrayList<>();
        for (Connection c : new ArrayList<>(connections.values())) { // a copy: a tick may reset and forget c
            c.tick(nowMillis, out);
        }
        return out;
    }

    private void makeRoom(A asker, List<Out<A>> out) {
        long mine = connections.keySet().stream().filter(k -> k.asker().equals(asker)).count();
        if (mine >= limits.perAsker()) {
            connections.values().stream().filter(c -> c.id.asker().equals(asker)).findFirst()
                    .ifPresent(c -> c.reset(out));
        }
        if (connections.size() >= limits.connections()) {
            connections.values().iterator().next().reset(out);
        }
    }

    /** RFC 793's answer to a segment of no connection. */
    private static TcpSegment resetFor(TcpSegment in) {
        if (in.has(TcpSegment.ACK)) {
            return new TcpSegment(in.dstIp(), in.srcIp(), in.dstPort(), in.srcPort(), in.ack(), 0, TcpSegment.RST, 0,
                    0, new byte[0]);
        }
        return new TcpSegment(in.dstIp(), in.srcIp(), in.dstPort(), in.srcPort(), 0, in.seq() + in.length(),
                TcpSegment.RST | TcpSegment.ACK, 0, 0, new byte[0]);
    }

    /** Whether {@code a} comes before {@code b} in sequence space (RFC 1982). */
    private static boolean before(int a, int b) {
        return a - b < 0;
    }

    private final class Connection {
        final ConnectionId<A> id;
        final int irs;
        final int iss;
        final int peerMss;
        State state = State.SYN_RECEIVED;
        int rcvNxt;
        int sndUna;
        int sndNxt;
        int peerWindow;
        /** Received bytes not yet read as queries. */
        final byte[] received;
        int receivedLength;
        /** Answer bytes from {@link #sndUna} on: sent and unacknowledged, then unsent. */
        byte[] outgoing = new byte[0];
        int outgoingLength;
        int pending;
        boolean peerFin;
        boolean closing;
        boolean finSent;
        boolean finAcked;
        long lastHeard;
        long retransmitAt;
        long rto = limits.firstRetransmit().toMillis();
        int attempts;

        Connection(ConnectionId<A> id, TcpSegment syn, long now) {
            this.id = id;
            this.irs = syn.seq();
            this.rcvNxt = syn.seq() + 1;
            this.iss = isn.nextInt();
            this.sndUna = iss;
            this.sndNxt = iss + 1;
            this.peerMss = Math.min(syn.mss() > 0 ? syn.mss() : DEFAULT_MSS, limits.mss());
            this.peerWindow = syn.window();
            this.received = new byte[2 + limits.maxQuery()];
            this.lastHeard = now;
        }

        void receive(TcpSegment in, long now, Answers<A> answers, List<Out<A>> out) {
            if (in.has(TcpSegment.RST)) {
                if (!before(in.seq(), rcvNxt) && before(in.seq(), rcvNxt + Math.max(1, window()))) {
                    connections.remove(id);
                }
                return;
            }
            if (in.has(TcpSegment.SYN) || !in.has(TcpSegment.ACK)) {
                return; // a SYN-ACK to a server, or no ACK: not part of this exchange
            }
            if (state == State.SYN_RECEIVED) {
                if (in.ack() != iss + 1) {
                    out.add(new Out<>(id.asker(), resetFor(in)));
                    return;
                }
                state = State.ESTABLISHED;
                sndUna = iss + 1;
                retransmitAt = 0;
                attempts = 0;
            }
            acknowledged(in, now);
            boolean fresh = take(in);
            readQueries(now, answers, out);
            if (connections.get(id) != this) {
                return; // reset while reading
            }
            if (peerFin && finAcked) {
                if (fresh) {
                    out.add(segment(sndNxt, TcpSegment.ACK, new byte[0])); // the peer's FIN, after Weft's
                }
                connections.remove(id);
                return;
            }
            int before = out.size();
            transmit(now, out);
            if (out.size() == before && (in.payload().length > 0 || in.has(TcpSegment.FIN) || fresh)) {
                out.add(segment(sndNxt, TcpSegment.ACK, new byte[0]));
            }
        }

        /** Takes the peer's ACK and window. */
        private void acknowledged(TcpSegment in, long now) {
            int acked = in.ack() - sndUna;
            if (acked > 0 && !before(sndNxt, in.ack())) {
                int data = Math.min(acked, outgoingLength);
                System.arraycopy(outgoing, data, outgoing, 0, outgoingLength - data);
                outgoingLength -= data;
                sndUna = in.ack();
                if (finSent && sndUna == sndNxt) {
                    finAcked = true;
                }
                attempts = 0;
                rto = limits.firstRetransmit().toMillis();
                retransmitAt = sndUna == sndNxt && outgoingLength == 0 ? 0 : now + rto;
            }
            peerWindow = in.window();
        }

        /** Takes the in-order part of the payload, and the FIN behind it; whether anything new came. */
        private boolean take(TcpSegment in) {
            int skip = rcvNxt - in.seq();
            byte[] payload = in.payload();
            if (skip < 0 || skip > payload.length) {
                return false; // beyond what was received: the peer retransmits after our ACK
            }
            int fits = Math.min(payload.length - skip, received.length - receivedLength);
            System.arraycopy(payload, skip, received, receivedLength, fits);
            receivedLength += fits;
            rcvNxt += fits;
            if (in.has(TcpSegment.FIN) && !peerFin && skip + fits == payload.length) {
                peerFin = true;
                rcvNxt++;
                return true;
            }
            return fits > 0;
        }

        /** Reads complete queries while answers have room; answers those that are answered at once. */
        void readQueries(long now, Answers<A> answers, List<Out<A>> out) {
            while (receivedLength >= 2 && pending < limits.pendingAnswers() && outgoingLength < limits.sendBuffer()) {
                int length = ((received[0] & 0xff) << 8) | (received[1] & 0xff);
                if (length == 0 || length > limits.maxQuery()) {
                    reset(out);
                    return;
                }
                if (receivedLength < 2 + length) {
                    break;
                }
                byte[] query = Arrays.copyOfRange(received, 2, 2 + length);
                System.arraycopy(received, 2 + length, received, 0, receivedLength - 2 - length);
                receivedLength -= 2 + length;
                pending++;
                Optional<byte[]> answer = answers.query(id, query);
                if (answer.isPresent() && answer.get().length == 0) {
                    reset(out); // not a DNS query: RFC 7766 7 lets a server close on a malformed message
                    return;
                }
                if (answer.isPresent()) {
                    pending--;
                    append(answer.get());
                }
            }
            if (peerFin && pending == 0) {
                closing = true;
            }
        }

        /** Queues one answer behind its 2-byte length. */
        void append(byte[] message) {
            int length = Math.min(message.length, 0xffff);
            if (outgoingLength + 2 + length > outgoing.length) {
                outgoing = Arrays.copyOf(outgoing, Math.max(outgoing.length * 2, outgoingLength + 2 + length));
            }
            outgoing[outgoingLength] = (byte) (length >>> 8);
            outgoing[outgoingLength + 1] = (byte) length;
            System.arraycopy(message, 0, outgoing, outgoingLength + 2, length);
            outgoingLength += 2 + length;
        }

        /** Sends what the peer's window and MSS allow; Weft's FIN behind the last answer once closing. */
        void transmit(long now, List<Out<A>> out) {
            if (state != State.ESTABLISHED) {
                return;
            }
            while (!finSent) {
                int inFlight = sndNxt - sndUna;
                int unsent = outgoingLength - inFlight;
                int room = Math.min(peerWindow - inFlight, peerMss);
                boolean close = closing && pending == 0;
                if (unsent > 0 && room > 0) {
                    int n = Math.min(unsent, room);
                    boolean fin = close && n == unsent;
                    out.add(segment(sndNxt, TcpSegment.ACK | TcpSegment.PSH | (fin ? TcpSegment.FIN : 0),
                            Arrays.copyOfRange(outgoing, inFlight, inFlight + n)));
                    sndNxt += n + (fin ? 1 : 0);
                    finSent = fin;
                } else if (unsent == 0 && close) {
                    out.add(segment(sndNxt, TcpSegment.ACK | TcpSegment.FIN, new byte[0]));
                    sndNxt++;
                    finSent = true;
                } else {
                    break;
                }
            }
            if ((sndNxt != sndUna || outgoingLength > 0) && retransmitAt == 0) {
                retransmitAt = now + rto; // also the persist timer while the peer's window is shut
            }
        }

        void tick(long now, List<Out<A>> out) {
            if (now - lastHeard >= 3 * limits.idle().toMillis()) {
                reset(out);
                return;
            }
            if (state == State.ESTABLISHED && !closing && pending == 0 && now - lastHeard >= limits.idle().toMillis()) {
                closing = true;
                transmit(now, out);
            }
            if (retransmitAt == 0 || now < retransmitAt) {
                return;
            }
            if (++attempts > limits.retransmits()) {
                reset(out);
                return;
            }
            rto *= 2;
            retransmitAt = now + rto;
            if (state == State.SYN_RECEIVED) {
                sendSynAck(out);
                return;
            }
            // Go back to the oldest unacknowledged byte; with the window shut, probe it with one byte.
            sndNxt = sndUna;
            finSent = false;
            int window = peerWindow;
            peerWindow = Math.max(1, window);
            transmit(now, out);
            peerWindow = window;
        }

        void repeatHandshake(List<Out<A>> out) {
            if (state == State.SYN_RECEIVED) {
                sendSynAck(out);
            } else {
                out.add(segment(sndNxt, TcpSegment.ACK, new byte[0]));
            }
        }

        void sendSynAck(List<Out<A>> out) {
            out.add(new Out<>(id.asker(), new TcpSegment(id.localIp(), id.peerIp(), id.localPort(), id.peerPort(),
                    iss, rcvNxt, TcpSegment.SYN | TcpSegment.ACK, window(), limits.mss(), new byte[0])));
        }

        void reset(List<Out<A>> out) {
            out.add(new Out<>(id.asker(), new TcpSegment(id.localIp(), id.peerIp(), id.localPort(), id.peerPort(),
                    sndNxt, rcvNxt, TcpSegment.RST | TcpSegment.ACK, 0, 0, new byte[0])));
            connections.remove(id);
        }

        private int window() {
            return Math.min(0xffff, received.length - receivedLength);
        }

        private Out<A> segment(int seq, int flags, byte[] payload) {
            return new Out<>(id.asker(), new TcpSegment(id.localIp(), id.peerIp(), id.localPort(), id.peerPort(), seq,
                    rcvNxt, flags, window(), 0, payload));
        }
    }
}
