package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * 1200 seeded malformed peers on loopback (truncated frames, length fields below the header or beyond the bytes
 * sent, random bytes, wrong first message, unknown versions, flow stats replies with broken entries). Each one's
 * connection is closed; a well-behaved switch
 * connected alongside keeps being served; no exception reaches any thread's uncaught handler.
 */
class MalformedPeerTest {

    private static final int CASES = 1200;

    private final RecordingListener listener = new RecordingListener();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler previous;
    private OpenFlowServer server;
    private int port;

    @BeforeEach
    void start() {
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        server = new OpenFlowServer(listener, ChannelConfig.defaults().withHandshakeTimeout(Duration.ofSeconds(3)));
        server.start(List.of("tcp:127.0.0.1:0"));
        port = ((InetSocketAddress) server.boundAddresses().get(0)).getPort();
    }

    @AfterEach
    void stop() {
        server.stop();
        Thread.setDefaultUncaughtExceptionHandler(previous);
    }

    /** Bytes for case {@code i}; {@code selfEvident} says the server must close without waiting for our EOF. */
    record Garbage(String kind, byte[] bytes, boolean selfEvident) {
    }

    static Garbage generate(Random r, int i) {
        byte[] hello = bytes(OFFactories.getFactory(OFVersion.OF_13).buildHello().setXid(1).build());
        switch (i % 7) {
            case 0 -> { // length field below the 8-byte header
                byte[] b = randomBytes(r, 8 + r.nextInt(32));
                b[0] = 4;
                b[2] = 0;
                b[3] = (byte) r.nextInt(8);
                return new Garbage("short length " + b[3], b, true);
            }
            case 1 -> { // a valid HELLO cut short
                return new Garbage("truncated hello", Arrays.copyOf(hello, 1 + r.nextInt(hello.length - 1)), false);
            }
            case 2 -> { // length field larger than what follows (up to the 64 KiB maximum)
                byte[] b = randomBytes(r, 8 + r.nextInt(200));
                int claimed = b.length + 1 + r.nextInt(0xffff - b.length);
                b[0] = 4;
                b[2] = (byte) (claimed >> 8);
                b[3] = (byte) claimed;
                return new Garbage("oversized length " + claimed, b, false);
            }
            case 3 -> { // unknown protocol version in a well-framed message
                byte[] b = randomBytes(r, 8 + r.nextInt(64));
                b[0] = (byte) (7 + r.nextInt(249));
                b[2] = (byte) (b.length >> 8);
                b[3] = (byte) b.length;
                return new Garbage("version " + (b[0] & 0xff), b, true);
            }
            case 4 -> { // a valid hello, then a well-framed message of random type and body
                byte[] body = randomBytes(r, 8 + r.nextInt(120));
                body[0] = 4;
                body[2] = (byte) (body.length >> 8);
                body[3] = (byte) body.length;
                byte[] b = Arrays.copyOf(hello, hello.length + body.length);
                System.arraycopy(body, 0, b, hello.length, body.length);
                return new Garbage("hello + random type " + (body[1] & 0xff), b, false);
            }
            case 5 -> { // a valid hello, then a flow stats reply with a broken entry, match or OXM length
                byte[] reply = FlowStatsDecoderTest.malformedReply(r);
                byte[] b = Arrays.copyOf(hello, hello.length + reply.length);
                System.arraycopy(reply, 0, b, hello.length, reply.length);
                return new Garbage("hello + malformed flow stats", b, true);
            }
            default -> {
                return new Garbage("random", randomBytes(r, 1 + r.nextInt(2000)), false);
            }
        }
    }

    @Test
    void everyMalformedPeerLosesOnlyItsOwnConnection() throws Exception {
        try (FakeSwitch good = FakeSwitch.connect(port, 77)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.connected.containsKey(77L));
            SwitchHandle handle = listener.connected.get(77L);
            Random r = new Random(20261122L);
            int closedByServer = 0;
            for (int i = 0; i < CASES; i++) {
                Garbage g = generate(r, i);
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(g.bytes());
                    s.getOutputStream().flush();
                    if (!g.selfEvident()) {
                        // Incomplete input can only be judged at end of stream.
                        s.shutdownOutput();
                    }
                    assertThat(readsToEnd(s.getInputStream())).as("case %d (%s) closed", i, g.kind()).isTrue();
                    closedByServer++;
                }
                if (i % 200 == 0) {
                    handle.barrier().get(5, TimeUnit.SECONDS);
                }
            }
            assertThat(closedByServer).isEqualTo(CASES);
            handle.barrier().get(5, TimeUnit.SECONDS);
            assertThat(handle.isConnected()).isTrue();
            assertThat(good.closedByPeer()).isFalse();
            assertThat(listener.disconnects).isEmpty();
            assertThat(listener.connects).containsExactly(77L);
        }
        assertThat(uncaught).isEmpty();
    }

    @Test
    void aSwitchWhoseTableReadIsMalformedLosesOnlyItsOwnConnection() throws Exception {
        try (FakeSwitch good = new FakeSwitch(new InetSocketAddress("127.0.0.1", port), 77, 2);
             FakeSwitch bad = new FakeSwitch(new InetSocketAddress("127.0.0.1", port), 78, 2)) {
            bad.flowStatsWire = b -> {
                if (b.length > 16) {
                    FlowStatsDecoderTest.setShort(b, 16, 0);   // the first entry's length
                }
                return b;
            };
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> listener.connected.keySet().containsAll(List.of(77L, 78L)));
            var read = listener.connected.get(78L).flows();
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.disconnects.contains(78L));
            assertThat(read).failsWithin(Duration.ofSeconds(5));
            assertThat(bad.closedByPeer()).isTrue();

            FlowTable table = listener.connected.get(77L).flows().get(5, TimeUnit.SECONDS);
            assertThat(table.flows()).hasSize(500);
            assertThat(table.foreign()).isEmpty();
            assertThat(listener.disconnects).containsExactly(78L);
        }
        assertThat(uncaught).isEmpty();
    }

    /** True when the server closed: end of stream (or reset) before the timeout. */
    private static boolean readsToEnd(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // discard the server's HELLO and anything else
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] bytes(org.projectfloodlight.openflow.protocol.OFMessage m) {
        ByteBuf buf = Unpooled.buffer();
        m.writeTo(buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }
}
