package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fault injection: a bad peer fails its own connection with a clear error; everything else keeps working. */
class MalformedPeerTest {

    private static OvsdbTransport transport;

    @BeforeAll
    static void start() {
        transport = OvsdbTransport.create(2);
    }

    @AfterAll
    static void stop() {
        transport.close();
    }

    private static OvsdbConnection connect(FakeOvsdbPeer peer, ConnectionOptions options) throws Exception {
        return transport.connect(peer.target(), options).get(5, TimeUnit.SECONDS);
    }

    /** Sends an echo request, lets the fake peer answer with {@code reply(id)}, returns the failure message. */
    private static String failureAfterReply(ConnectionOptions options, java.util.function.LongFunction<String> reply)
            throws Exception {
        try (FakeOvsdbPeer peer = new FakeOvsdbPeer()) {
            OvsdbConnection c = connect(peer, options);
            CompletableFuture<JsonNode> call = c.echo();
            long id = peer.nextRequest().get("id").asLong();
            peer.send(reply.apply(id));
            assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(OvsdbConnectionException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.closeFuture().isDone());
            assertThat(c.isOpen()).isFalse();
            return c.failure().orElseThrow().getMessage();
        }
    }

    @Test
    void malformedJsonFailsTheConnection() throws Exception {
        assertThat(failureAfterReply(ConnectionOptions.defaults(), id -> "{\"id\":" + id + ",\"result\":oops}"))
                .contains("malformed JSON from peer");
    }

    @Test
    void aResponseToAnIdNeverSentFailsTheConnection() throws Exception {
        assertThat(failureAfterReply(ConnectionOptions.defaults(),
                id -> "{\"id\":" + (id + 1000) + ",\"result\":[],\"error\":null}"))
                .contains("response to unknown request id " + (1001));
    }

    @Test
    void aResponseWithAWrongKindOfIdFailsTheConnection() throws Exception {
        assertThat(failureAfterReply(ConnectionOptions.defaults(), id -> "{\"id\":\"x\",\"result\":[]}"))
                .contains("response without a request id we sent");
    }

    @Test
    void aHugeFrameFailsTheConnectionWithItsLimit() throws Exception {
        String big = "a".repeat(10_000);
        assertThat(failureAfterReply(ConnectionOptions.defaults().withMaxFrameBytes(4096),
                id -> "{\"id\":" + id + ",\"result\":\"" + big + "\"}"))
                .contains("message larger than 4096 bytes");
    }

    @Test
    void aTopLevelArrayIsNotAnOvsdbMessage() throws Exception {
        assertThat(failureAfterReply(ConnectionOptions.defaults(), id -> "[1,2,3]"))
                .contains("top-level JSON value is not an object");
    }

    @Test
    void aTopLevelScalarBreaksTheFraming() throws Exception {
        assertThat(failureAfterReply(ConnectionOptions.defaults(), id -> "\"just a string\""))
                .contains("malformed JSON framing");
    }

    @Test
    void halfAMessageThenCloseSaysSo() throws Exception {
        try (FakeOvsdbPeer peer = new FakeOvsdbPeer()) {
            OvsdbConnection c = connect(peer, ConnectionOptions.defaults());
            CompletableFuture<JsonNode> call = c.echo();
            long id = peer.nextRequest().get("id").asLong();
            peer.send("{\"id\":" + id + ",\"result\":[\"tru");
            peer.closeConnection();
            assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
                    .hasMessageContaining("connection closed in the middle of a message");
        }
    }

    @Test
    void aTransactionErrorFailsTheFutureWithOvsdbsText() throws Exception {
        try (FakeOvsdbPeer peer = new FakeOvsdbPeer()) {
            OvsdbConnection c = connect(peer, ConnectionOptions.defaults());
            CompletableFuture<List<JsonNode>> tx = c.transact(List.of(new Operation.Comment("a"),
                    new Operation.Comment("b")));
            JsonNode request = peer.nextRequest();
            assertThat(request.get("method").asText()).isEqualTo("transact");
            assertThat(request.get("params").toString())
                    .isEqualTo("[\"Open_vSwitch\",{\"op\":\"comment\",\"comment\":\"a\"},{\"op\":\"comment\",\"comment\":\"b\"}]");
            peer.send("{\"id\":" + request.get("id") + ",\"error\":null,\"result\":[{},"
                    + "{\"error\":\"constraint violation\",\"details\":\"port name vxlan-h2 is not unique\"}]}");
            assertThatThrownBy(() -> tx.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(OvsdbException.class)
                    .hasMessage("transaction failed at operation 1 (comment): constraint violation: "
                            + "port name vxlan-h2 is not unique");
            assertThat(c.isOpen()).as("an OVSDB error is not a protocol error").isTrue();
            c.close();
        }
    }

    @Test
    void theServersEchoIsAnsweredAndOtherConnectionsSurviveABadOne() throws Exception {
        try (FakeOvsdbPeer bad = new FakeOvsdbPeer(); FakeOvsdbPeer good = new FakeOvsdbPeer()) {
            OvsdbConnection badConn = connect(bad, ConnectionOptions.defaults());
            OvsdbConnection goodConn = connect(good, ConnectionOptions.defaults());
            bad.send("{this is not json}");
            await().atMost(Duration.ofSeconds(5)).until(() -> badConn.closeFuture().isDone());

            good.send("{\"method\":\"echo\",\"params\":[\"ping\"],\"id\":\"e1\"}");
            JsonNode reply = good.nextRequest();
            assertThat(reply.toString()).isEqualTo("{\"result\":[\"ping\"],\"error\":null,\"id\":\"e1\"}");

            CompletableFuture<JsonNode> call = goodConn.call("list_dbs", JsonNodeFactory.instance.arrayNode());
            long id = good.nextRequest().get("id").asLong();
            good.send("{\"id\":" + id + ",\"result\":[\"Open_vSwitch\"],\"error\":null}");
            assertThat(call.get(5, TimeUnit.SECONDS).toString()).isEqualTo("[\"Open_vSwitch\"]");
            assertThat(goodConn.isOpen()).isTrue();
            goodConn.close();
        }
    }

    @Test
    void aSilentPeerIsProbedWithAnEchoThenDropped() throws Exception {
        try (FakeOvsdbPeer peer = new FakeOvsdbPeer()) {
            OvsdbConnection c = connect(peer, ConnectionOptions.defaults().withInactivityProbe(Duration.ofMillis(300)));
            JsonNode probe = peer.nextRequest();
            assertThat(probe.get("method").asText()).isEqualTo("echo");
            await().atMost(Duration.ofSeconds(5)).until(() -> c.closeFuture().isDone());
            assertThat(c.failure().orElseThrow().getMessage()).contains("peer silent for 600 ms");
        }
    }

    @Test
    void aConnectToNothingFailsQuicklyWithTheTarget() {
        assertThatThrownBy(() -> transport.connect("unix:/tmp/weft-no-such-socket-" + ProcessHandle.current().pid(),
                ConnectionOptions.defaults()).get(5, TimeUnit.SECONDS))
                .hasMessageContaining("cannot connect");
        assertThatThrownBy(() -> transport.connect("tcp:nowhere", ConnectionOptions.defaults()).get())
                .hasMessageContaining("is invalid");
    }
}
