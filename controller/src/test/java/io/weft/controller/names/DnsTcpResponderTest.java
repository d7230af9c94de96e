package io.weft.controller.names;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The DNS-over-TCP state machine, driven segment by segment as a client's TCP would, with the time passed in. */
class DnsTcpResponderTest {

    private static final Ipv4Address CLIENT = Ipv4Address.parse("10.65.10.1");
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.65.10.254");
    private static final DnsTcpResponder.Limits LIMITS = DnsTcpResponder.Limits.DEFAULT;
    /** Answers a query with "A:" and the query's bytes, so every answer says which query it answers. */
    private static final DnsTcpResponder.Answers<String> ECHO = (id, q) -> Optional.of(answerTo(q));

    private static byte[] answerTo(byte[] query) {
        byte[] a = new byte[query.length + 2];
        a[0] = 'A';
        a[1] = ':';
        System.arraycopy(query, 0, a, 2, query.length);
        return a;
    }

    private static byte[] framed(byte[]... messages) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            b.write(m.length >>> 8);
            b.write(m.length);
            b.writeBytes(m);
        }
        return b.toByteArray();
    }

    private static byte[] query(int n, int length) {
        byte[] q = new byte[length];
        Arrays.fill(q, (byte) n);
        return q;
    }

    /** A client's end of one connection: its sequence numbers, and what it received in order. */
    private static final class Peer {
        final DnsTcpResponder<String> server;
        final String asker;
        final int port;
        final int isn = 1_000_000;
        int sndNxt = isn + 1;
        int rcvNxt;
        int window = 65535;
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final List<TcpSegment> seen = new ArrayList<>();
        long now;
        DnsTcpResponder.Answers<String> answers = ECHO;

        Peer(DnsTcpResponder<String> server, String asker, int port) {
            this.server = server;
            this.asker = asker;
            this.port = port;
        }

        TcpSegment segment(int seq, int flags, byte[] payload, int mss) {
            return new TcpSegment(CLIENT, SERVER, port, 53, seq, rcvNxt, flags, window, mss, payload);
        }

        List<TcpSegment> send(TcpSegment s) {
            List<TcpSegment> got = server.receive(asker, s, now, answers).stream()
                    .map(DnsTcpResponder.Out::segment).toList();
            take(got);
            return got;
        }

        /** Takes segments as a client's TCP would: in order only. */
        void take(List<TcpSegment> got) {
            for (TcpSegment s : got) {
                seen.add(s);
                if (s.has(TcpSegment.SYN)) {
                    rcvNxt = s.seq() + 1;
                } else if (s.seq() == rcvNxt) {
                    stream.writeBytes(s.payload());
                    rcvNxt += s.length();
                }
            }
        }

        TcpSegment connect(int mss) {
            List<TcpSegment> synAck = send(segment(isn, TcpSegment.SYN, new byte[0], mss));
            assertThat(synAck).hasSize(1);
            send(segment(sndNxt, TcpSegment.ACK, new byte[0], 0));
            return synAck.get(0);
        }

        List<TcpSegment> data(byte[] bytes) {
            List<TcpSegment> got = send(segment(sndNxt, TcpSegment.ACK | TcpSegment.PSH, bytes, 0));
            sndNxt += bytes.length;
            return got;
        }

        /** From now on answers come later: the connections of the queries asked are collected here. */
        List<DnsTcpResponder.ConnectionId<String>> answerLater() {
            List<DnsTcpResponder.ConnectionId<String>> asked = new ArrayList<>();
            answers = (id, q) -> {
                asked.add(id);
                return Optional.empty();
            };
            return asked;
        }

        List<TcpSegment> ack() {
            return send(segment(sndNxt, TcpSegment.ACK, new byte[0], 0));
        }

        List<TcpSegment> tick(long at) {
            now = at;
            List<TcpSegment> got = server.tick(at).stream().map(DnsTcpResponder.Out::segment).toList();
            take(got);
            return got;
        }
    }

    private static DnsTcpResponder<String> server() {
        return new DnsTcpResponder<>(LIMITS);
    }

    @Test
    void aSynIsAnsweredWithASynAckCarryingTheMssAndAnUnpredictableSequenceNumberAndARetransmittedSynAlike() {
        DnsTcpResponder<String> server = server();
        Peer a = new Peer(server, "c1", 40000);
        List<TcpSegment> first = a.send(a.segment(a.isn, TcpSegment.SYN, new byte[0], 1400));
        assertThat(first).singleElement().satisfies(s -> {
            assertThat(s.flags()).isEqualTo(TcpSegment.SYN | TcpSegment.ACK);
            assertThat(s.ack()).isEqualTo(a.isn + 1);
            assertThat(s.mss()).isEqualTo(LIMITS.mss());
            assertThat(s.srcIp()).isEqualTo(SERVER);
            assertThat(s.dstPort()).isEqualTo(40000);
        });
        List<TcpSegment> again = a.send(a.segment(a.isn, TcpSegment.SYN, new byte[0], 1400));
        assertThat(again).singleElement().satisfies(s -> assertThat(s.seq()).isEqualTo(first.get(0).seq()));
        assertThat(server.connections()).isEqualTo(1);
        Peer b = new Peer(server, "c1", 40001);
        TcpSegment other = b.send(b.segment(b.isn, TcpSegment.SYN, new byte[0], 1400)).get(0);
        assertThat(other.seq()).as("initial sequence numbers are random").isNotEqualTo(first.get(0).seq());
    }

    @Test
    void aQueryInOneSegmentIsAnsweredWithTheAckPiggyBacked() {
        Peer p = new Peer(server(), "c1", 40000);
        p.connect(1400);
        List<TcpSegment> got = p.data(framed(query(7, 30)));
        assertThat(got).singleElement().satisfies(s -> {
            assertThat(s.has(TcpSegment.ACK)).isTrue();
            assertThat(s.ack()).isEqualTo(p.sndNxt);
            assertThat(s.payload()).isEqualTo(framed(answerTo(query(7, 30))));
        });
    }

    @Test
    void aQuerySplitOverSegmentsIsReassembledAndEachPartAcked() {
        Peer p = new Peer(server(), "c1", 40000);
        p.connect(1400);
        byte[] wire = framed(query(3, 40));
        for (int i = 0; i < wire.length - 1; i++) {
            List<TcpSegment> got = p.data(new byte[] {wire[i]});
            assertThat(got).singleElement().satisfies(s -> {
                assertThat(s.payload()).isEmpty();
                assertThat(s.ack()).isEqualTo(p.sndNxt);
            });
        }
        p.data(new byte[] {wire[wire.length - 1]});
        assertThat(p.stream.toByteArray()).isEqualTo(framed(answerTo(query(3, 40))));
    }

    @Test
    void aSegmentBeyondWhatWasReceivedIsDroppedAndWhatWasReceivedAckedAgainAndOverlapsAreTrimmed() {
        Peer p = new Peer(server(), "c1", 40000);
        p.connect(1400);
        byte[] wire = framed(query(5, 20));
        List<TcpSegment> dup = p.send(p.segment(p.sndNxt + 10, TcpSegment.ACK, Arrays.copyOfRange(wire, 10, 22), 0));
        assertThat(dup).singleElement().satisfies(s -> assertThat(s.ack()).isEqualTo(p.sndNxt));
        p.data(Arrays.copyOfRange(wire, 0, 12));
        // A retransmission that overlaps the 12 bytes received: only its new part is taken.
        p.send(p.segment(p.sndNxt - 12, TcpSegment.ACK, wire, 0));
        p.sndNxt += wire.length - 12;
        assertThat(p.stream.toByteArray()).isEqualTo(framed(answerTo(query(5, 20))));
    }

    @Test
    void pipelinedQueriesAreAllAnsweredInOrderOfTheirAnswers() {
        Peer p = new Peer(server(), "c1", 40000);
        p.connect(1400);
        p.data(framed(query(1, 20), query(2, 25), query(3, 30)));
        assertThat(p.stream.toByteArray()).isEqualTo(framed(answerTo(query(1, 20)), answerTo(query(2, 25)),
                answerTo(query(3, 30))));
    }

    @Test
    void anAnswerThatComesLaterIsSentOnItsConnection() {
        DnsTcpResponder<String> server = server();
        Peer p = new Peer(server, "c1", 40000);
        List<DnsTcpResponder.ConnectionId<String>> asked = p.answerLater();
        p.connect(1400);
        assertThat(p.data(framed(query(9, 20)))).singleElement()
                .satisfies(s -> assertThat(s.payload()).as("a bare ACK meanwhile").isEmpty());
        p.take(server.answer(asked.get(0), answerTo(query(9, 20)), 10, ECHO).stream()
                .map(DnsTcpResponder.Out::segment).toList());
        assertThat(p.stream.toByteArray()).isEqualTo(framed(answerTo(query(9, 20))));
    }

    @Test
    void aLargeAnswerIsCutToThePeersMssAndWindow() {
        Peer p = new Peer(server(), "c1", 40000);
        p.window = 2000;
        p.connect(0); // no MSS option: 536
        byte[] big = query(4, 3000);
        p.answers = (id, q) -> Optional.of(big);
        List<TcpSegment> first = p.data(framed(query(4, 20)));
        assertThat(first).allSatisfy(s -> assertThat(s.payload().length).isLessThanOrEqualTo(536));
        assertThat(first.stream().mapToInt(s -> s.payload().length).sum()).as("within the window").isEqualTo(2000);
        p.ack();
        assertThat(p.stream.toByteArray()).isEqualTo(framed(big));
    }

    private static DnsTcpResponder.Limits idleFor(Duration idle) {
        return new DnsTcpResponder.Limits(LIMITS.connections(), LIMITS.perAsker(), LIMITS.maxQuery(),
                LIMITS.pendingAnswers(), LIMITS.sendBuffer(), idle, LIMITS.firstRetransmit(), LIMITS.retransmits(),
                LIMITS.mss());
    }

    @Test
    void unacknowledgedAnswersAreRetransmittedWithBackoffThenTheConnectionIsReset() {
        DnsTcpResponder<String> server = new DnsTcpResponder<>(idleFor(Duration.ofHours(1)));
        Peer p = new Peer(server, "c1", 40000);
        p.connect(1400);
        TcpSegment answer = p.data(framed(query(1, 20))).get(0);
        long rto = LIMITS.firstRetransmit().toMillis();
        assertThat(p.tick(rto - 1)).isEmpty();
        long at = rto;
        for (int attempt = 1; attempt <= LIMITS.retransmits(); attempt++) {
            List<TcpSegment> again = p.tick(at);
            assertThat(again).as("attempt %d", attempt).singleElement().satisfies(s -> {
                assertThat(s.seq()).isEqualTo(answer.seq());
                assertThat(s.payload()).isEqualTo(answer.payload());
            });
            assertThat(p.tick(at + (rto << attempt) - 1)).as("backoff").isEmpty();
            at += rto << attempt;
        }
        assertThat(p.tick(at)).singleElement().satisfies(s -> assertThat(s.has(TcpSegment.RST)).isTrue());
        assertThat(server.connections()).isZero();
    }

    @Test
    void anAcknowledgedAnswerIsNotRetransmitted() {
        DnsTcpResponder<String> server = new DnsTcpResponder<>(idleFor(Duration.ofHours(1)));
        Peer p = new Peer(server, "c1", 40000);
        p.connect(1400);
        p.data(framed(query(1, 20)));
        p.ack();
        assertThat(p.tick(1000)).isEmpty();
        assertThat(p.tick(10_000)).isEmpty();
    }

    @Test
    void aFinAfterAQueryIsAnsweredThenClosedAndTheConnectionForgottenOnceAcked() {
        DnsTcpResponder<String> server = server();
        Peer p = new Peer(server, "c1", 40000);
        p.connect(1400);
        byte[] wire = framed(query(2, 20));
        List<TcpSegment> got = p.send(p.segment(p.sndNxt, TcpSegment.ACK | TcpSegment.FIN, wire, 0));
        p.sndNxt += wire.length + 1;
        assertThat(got).singleElement().satisfies(s -> {
            assertThat(s.has(TcpSegment.FIN)).as("the answer carries Weft's FIN").isTrue();
            assertThat(s.ack()).as("the FIN is acknowledged").isEqualTo(p.sndNxt);
        });
        assertThat(p.stream.toByteArray()).isEqualTo(framed(answerTo(query(2, 20))));
        assertThat(p.ack()).isEmpty();
        assertThat(server.connections()).isZero();
    }

    @Test
    void anIdleConnectionIsClosedByWeftAndForgottenWhenThePeerClosesToo() {
        DnsTcpResponder<String> server = server();
        Peer p = new Peer(server, "c1", 40000);
        p.connect(1400);
        long idle = LIMITS.idle().toMillis();
        assertThat(p.tick(idle - 1)).isEmpty();
        assertThat(p.tick(idle)).singleElement().satisfies(s -> assertThat(s.has(TcpSegment.FIN)).isTrue());
        p.ack();
        assertThat(server.connections()).isEqualTo(1);
        assertThat(p.send(p.segment(p.sndNxt, TcpSegment.ACK | TcpSegment.FIN, new byte[0], 0)))
                .singleElement().satisfies(s -> assertThat(s.ack()).isEqualTo(p.sndNxt + 1));
        assertThat(server.connections()).isZero();
    }

    @Test
    void aResetInTheWindowForgetsTheConnectionAndOneOutsideItDoesNot() {
        DnsTcpResponder<String> server = server();
        Peer p = new Peer(server, "c1", 40000);
        p.connect(1400);
        assertThat(p.send(p.segment(p.sndNxt + 100_000, TcpSegment.RST, new byte[0], 0))).isEmpty();
        assertThat(server.connections()).isEqualTo(1);
        assertThat(p.send(p.segment(p.sndNxt, TcpSegment.RST, new byte[0], 0))).isEmpty();
        assertThat(server.connections()).isZero();
    }

    @Test
    void aSegmentOfNoConnectionIsReset() {
        Peer p = new Peer(server(), "c1", 40000);
        p.rcvNxt = 777;
        assertThat(p.ack()).singleElement().satisfies(s -> {
            assertThat(s.flags()).isEqualTo(TcpSegment.RST);
            assertThat(s.seq()).isEqualTo(777);
        });
        assertThat(p.send(p.segment(5, TcpSegment.RST, new byte[0], 0))).as("never answer a RST").isEmpty();
    }

    @Test
    void theSameAddressesFromTwoAskersAreTwoConnections() {
        DnsTcpResponder<String> server = server();
        Peer red = new Peer(server, "red-c1", 40000);
        Peer green = new Peer(server, "green-c1", 40000);
        red.connect(1400);
        green.connect(1400);
        assertThat(server.connections()).isEqualTo(2);
        red.data(framed(query(1, 20)));
        assertThat(red.stream.toByteArray()).isEqualTo(framed(answerTo(query(1, 20))));
        assertThat(green.stream.toByteArray()).isEmpty();
    }

    @Test
    void connectionsAreCappedPerAskerAndInAllTheLeastRecentlyHeardReset() {
        DnsTcpResponder<String> server = new DnsTcpResponder<>(new DnsTcpResponder.Limits(5, 3, 4096, 4, 65536,
                Duration.ofSeconds(5), Duration.ofSeconds(1), 5, 1460));
        List<Peer> c1 = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Peer p = new Peer(server, "c1", 40000 + i);
            p.connect(1400);
            c1.add(p);
        }
        c1.get(0).ack(); // heard lately: c1's port 40001 is now its least recently heard
        Peer fourth = new Peer(server, "c1", 40100);
        List<TcpSegment> got = fourth.send(fourth.segment(fourth.isn, TcpSegment.SYN, new byte[0], 1400));
        assertThat(got).hasSize(2);
        assertThat(got.get(0).has(TcpSegment.RST)).isTrue();
        assertThat(got.get(0).dstPort()).isEqualTo(40001);
        assertThat(server.connections()).isEqualTo(3);
        for (int i = 0; i < 2; i++) {
            new Peer(server, "c2", 41000 + i).connect(1400);
        }
        assertThat(server.connections()).isEqualTo(5);
        Peer sixth = new Peer(server, "c2", 41002);
        got = sixth.send(sixth.segment(sixth.isn, TcpSegment.SYN, new byte[0], 1400));
        assertThat(got.get(0).has(TcpSegment.RST)).as("all are full: the least recently heard goes").isTrue();
        assertThat(got.get(0).dstPort()).isEqualTo(40002);
        assertThat(server.connections()).isEqualTo(5);
    }

    @Test
    void aLengthAboveTheQueryLimitResetsTheConnection() {
        DnsTcpResponder<String> server = server();
        Peer p = new Peer(server, "c1", 40000);
        p.connect(1400);
        int tooLong = LIMITS.maxQuery() + 1;
        assertThat(p.data(new byte[] {(byte) (tooLong >>> 8), (byte) tooLong, 1, 2})).singleElement()
                .satisfies(s -> assertThat(s.has(TcpSegment.RST)).isTrue());
        assertThat(server.connections()).isZero();
    }

    @Test
    void noMoreQueriesAreReadWhileTheirAnswersArePendingAndTheWindowClosesOnTheRest() {
        DnsTcpResponder<String> server = server();
        Peer p = new Peer(server, "c1", 40000);
        List<DnsTcpResponder.ConnectionId<String>> asked = p.answerLater();
        p.connect(1400);
        byte[][] queries = new byte[LIMITS.pendingAnswers() + 2][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = query(i, 20);
        }
        List<TcpSegment> acks = p.data(framed(queries));
        assertThat(asked).hasSize(LIMITS.pendingAnswers());
        assertThat(acks.get(acks.size() - 1).window()).as("the unread queries take window")
                .isEqualTo(2 + LIMITS.maxQuery() - 2 * 22);
        server.answer(asked.get(0), answerTo(query(0, 20)), 0, p.answers);
        assertThat(asked).hasSize(LIMITS.pendingAnswers() + 1);
    }

    @Test
    void aMessageThatIsNoQueryResetsTheConnection() {
        DnsTcpResponder<String> server = server();
        Peer p = new Peer(server, "c1", 40000);
        p.answers = (id, q) -> Optional.of(new byte[0]);
        p.connect(1400);
        assertThat(p.data(framed(query(1, 5)))).singleElement()
                .satisfies(s -> assertThat(s.has(TcpSegment.RST)).isTrue());
        assertThat(server.connections()).isZero();
    }

    /** However a client's TCP cuts a stream of queries into segments, the answers are the same, in order. */
    @Property(tries = 200)
    void anySegmentationOfAQueryStreamYieldsTheSameAnswers(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 12, max = 300) Integer> lengths,
            @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 200) Integer> cuts,
            @ForAll @IntRange(min = 0, max = 1460) int mss) {
        Peer p = new Peer(server(), "c1", 40000);
        p.connect(mss);
        byte[][] queries = new byte[lengths.size()][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = query(i + 1, lengths.get(i));
        }
        byte[] wire = framed(queries);
        int at = 0;
        for (int cut : cuts) {
            if (at >= wire.length) {
                break;
            }
            int n = Math.min(cut, wire.length - at);
            p.data(Arrays.copyOfRange(wire, at, at + n));
            at += n;
        }
        if (at < wire.length) {
            p.data(Arrays.copyOfRange(wire, at, wire.length));
        }
        byte[][] answers = Arrays.stream(queries).map(DnsTcpResponderTest::answerTo).toArray(byte[][]::new);
        assertThat(p.stream.toByteArray()).isEqualTo(framed(answers));
        assertThat(p.seen).allSatisfy(s -> assertThat(s.payload().length)
                .isLessThanOrEqualTo(mss == 0 ? DnsTcpResponder.DEFAULT_MSS : mss));
    }
}
