package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.model.ByteBudget;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 8 for OpenFlow: frames are at most 64 KiB, but Weft gathers every part of a multipart reply. 30
 * switches answering a read of their flow table with endless parts are disconnected once they pass the per-request
 * bound,
 * the parts held together never pass the shared budget, and a good switch is served alongside. Peers that claim a
 * 64 KiB frame and never finish it cost one frame each. Also: {@link SwitchAdmission} refuses switches before
 * anything is read from their tables.
 */
class SwitchFloodTest {

    private static final int MAX_PARTS = 64;
    private static final long BUDGET = 2L << 20;

    private final RecordingListener listener = new RecordingListener();
    private final ByteBudget budget = new ByteBudget(BUDGET);
    private OpenFlowServer server;
    private int port;

    @BeforeEach
    void start() {
        server = new OpenFlowServer(listener, ChannelConfig.defaults().withReplyLimits(MAX_PARTS, budget)
                .withHandshakeTimeout(Duration.ofSeconds(2)),
                (dpid, from) -> dpid == 0xbadL ? Optional.of("not ours") : Optional.empty());
        server.start(List.of("tcp:127.0.0.1:0"));
        port = ((InetSocketAddress) server.boundAddresses().get(0)).getPort();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void endlessMultipartRepliesAreCutOffWithinTheBudget() throws Exception {
        List<FakeSwitch> flooders = new ArrayList<>();
        try (FakeSwitch good = FakeSwitch.connect(port, 1)) {
            for (int i = 0; i < 30; i++) {
                // Each answers flow stats with 10,000 parts of 500 flows: far beyond MAX_PARTS.
                flooders.add(new FakeSwitch(new InetSocketAddress("127.0.0.1", port), 100 + i, 10_000));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> listener.connected.containsKey(1L)
                    && flooders.stream().allMatch(f -> listener.connected.containsKey(f.dpid)));
            // Weft reads each table, as the reconciler does after a connect: the replies never end.
            List<CompletableFuture<FlowTable>> reads = flooders.stream()
                    .map(f -> listener.connected.get(f.dpid).flows()).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> flooders.stream().allMatch(FakeSwitch::closedByPeer));
            assertThat(reads).allSatisfy(r -> assertThat(r).failsWithin(Duration.ofSeconds(5)));
            assertThat(flooders).noneMatch(f -> listener.connected.containsKey(f.dpid));
            assertThat(budget.peak()).as("bytes of gathered parts held at once").isLessThanOrEqualTo(BUDGET);
            await().atMost(Duration.ofSeconds(5)).until(() -> budget.used() == 0);
            assertThat(listener.connected.get(1L).barrier()).succeedsWithin(Duration.ofSeconds(5));
        } finally {
            for (FakeSwitch f : flooders) {
                f.close();
            }
        }
    }

    @Test
    void peersThatNeverFinishAFrameHoldOneFrameEachAndAreDisconnectedByTheHandshakeTimeout() throws Exception {
        List<Socket> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                OutputStream out = s.getOutputStream();
                out.write(new byte[] {4, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 1}); // a 65535-byte HELLO...
                out.write(new byte[60_000]); // ...that never ends
                peers.add(s);
            }
            try (FakeSwitch good = FakeSwitch.connect(port, 2)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> listener.connected.containsKey(2L));
            }
            for (Socket s : peers) {
                s.setSoTimeout(20_000);
                // Weft's HELLO, then the end of the stream once the handshake timed out.
                assertThat(s.getInputStream().readAllBytes()).as("Weft's HELLO, then closed").hasSize(16);
            }
        } finally {
            for (Socket s : peers) {
                s.close();
            }
        }
    }

    @Test
    void aRefusedSwitchIsDisconnectedBeforeAnythingIsAskedOfIt() throws Exception {
        try (FakeSwitch refused = FakeSwitch.connect(port, 0xbadL)) {
            await().atMost(Duration.ofSeconds(10)).until(refused::closedByPeer);
            assertThat(refused.received).noneMatch(m -> m.getType().name().equals("STATS_REQUEST"));
            assertThat(listener.connects).doesNotContain(0xbadL);
        }
    }
}
