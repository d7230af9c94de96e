package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 8: 40 peers on loopback each send one endless JSON message to the passive listener in parallel
 * (40 x 63 MB took the controller to 2.3 GB before). What the connections buffer stays under the shared budget,
 * as its own counter and Netty's pooled allocator both show, every flooding peer is disconnected, and a good
 * peer is answered throughout.
 */
class ListenerFloodTest {

    private static final int MAX_MESSAGE = 1 << 20;
    private static final long BUDGET = 8L << 20;
    private static final int FLOODERS = 40;
    /** Each flooder would send this much if left alone: together 40 x 6 MiB = 240 MiB. */
    private static final int FLOOD_BYTES = 6 << 20;

    private OvsdbTransport transport;
    private OvsdbTransport.Listening listening;
    private final List<OvsdbConnection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws Exception {
        transport = OvsdbTransport.create(2, BUDGET);
        listening = transport.listen("ptcp:0:127.0.0.1", ConnectionOptions.defaults().withMaxFrameBytes(MAX_MESSAGE),
                accepted::add).get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        listening.close();
        transport.close();
    }

    @Test
    void endlessMessagesFromManyPeersStayWithinTheBudgetAndAGoodPeerIsServed() throws Exception {
        assertThat(flood(FLOODERS, "{\"method\":\"echo\",\"id\":1,\"params\":[\"", FLOOD_BYTES)).isEqualTo(FLOODERS);
    }

    @Test
    void deeplyNestedEndlessMessagesToo() throws Exception {
        assertThat(flood(FLOODERS, "{\"id\":1,\"method\":\"echo\",\"params\":", FLOOD_BYTES)).isEqualTo(FLOODERS);
    }

    /** Returns how many flooders the listener disconnected. */
    private int flood(int peers, String opening, int bytes) throws Exception {
        long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        AtomicLong directPeak = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(peers + 2);
        int closed = 0;
        try (OvsdbTransport client = OvsdbTransport.create(1)) {
            OvsdbConnection good = client.connect("tcp:127.0.0.1:" + listening.localPort(),
                    ConnectionOptions.defaults()).get(5, TimeUnit.SECONDS);
            List<Future<Boolean>> flooders = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                flooders.add(pool.submit(() -> sendUntilClosed(opening, bytes)));
            }
            Future<?> sampler = pool.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    directPeak.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(),
                            Math::max);
                    assertThat(good.echo().get(5, TimeUnit.SECONDS)).as("the good peer is answered").isNotNull();
                }
                return null;
            });
            for (Future<Boolean> f : flooders) {
                closed += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            sampler.cancel(true);
            assertThat(good.isOpen()).isTrue();
            assertThat(good.echo().get(5, TimeUnit.SECONDS)).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> transport.bufferBudget().used() == 0);
        } finally {
            pool.shutdownNow();
        }
        assertThat(transport.bufferBudget().peak()).as("bytes of unfinished messages held at once")
                .isLessThanOrEqualTo(BUDGET);
        // Netty's pool grows in 4 MiB chunks per arena; 40 connections' read buffers and the good peer's traffic
        // come on top of what the decoders hold. Without the limits this is 40 x 6 MiB.
        assertThat(directPeak.get() - directBefore).as("direct memory the flood took from Netty's pool")
                .isLessThan(BUDGET + (32L << 20));
        return closed;
    }

    /** Sends an unfinished message; true when the listener closed the connection before we sent everything. */
    private boolean sendUntilClosed(String opening, int bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", listening.localPort()), 5000);
            OutputStream out = s.getOutputStream();
            out.write(opening.getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = (opening.endsWith("\"") ? "x" : "[").repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int sent = 0; sent < bytes; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException closedByListener) {
                return true;
            }
            // Everything written into socket buffers: the listener must still close us.
            s.setSoTimeout(20_000);
            return s.getInputStream().read(new byte[1]) < 0;
        } catch (IOException e) {
            return true;
        }
    }
}
