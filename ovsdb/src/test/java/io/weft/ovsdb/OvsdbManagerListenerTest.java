package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the passive listener identifies a caller and acts on the lookup's answer, against a scripted ovsdb-server. */
class OvsdbManagerListenerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Answers the listener's select of Open_vSwitch.external_ids with {@code pairs}. */
    private static void answerIdentity(FakeOvsdbPeer peer, String pairs) throws Exception {
        JsonNode select = peer.nextRequest();
        assertThat(select.get("method").asText()).isEqualTo("transact");
        assertThat(select.get("params").get(1).get("table").asText()).isEqualTo("Open_vSwitch");
        peer.send("{\"id\":" + select.get("id") + ",\"error\":null,\"result\":[{\"rows\":[{\"external_ids\":"
                + "[\"map\",[" + pairs + "]]}]}]}");
    }

    @Test
    void theLookupSeesTheWholeExternalIdsAndTheConnectionWaitsForItsAnswer() throws Exception {
        CompletableFuture<PassiveIdentity> asked = new CompletableFuture<>();
        CompletableFuture<OvsdbHost> answer = new CompletableFuture<>();
        try (OvsdbTransport transport = OvsdbTransport.create(1);
             OvsdbHost session = OvsdbHost.passive("h9", transport);
             OvsdbManagerListener listener = OvsdbManagerListener.start(transport, "ptcp:0:127.0.0.1",
                     ConnectionOptions.defaults(), caller -> {
                         asked.complete(caller);
                         return answer;
                     }).get(5, TimeUnit.SECONDS);
             FakeOvsdbPeer peer = FakeOvsdbPeer.dialing(listener.localPort())) {
            answerIdentity(peer, "[\"system-id\",\"h9\"],[\"weft-tunnel-ip\",\"192.0.2.9\"]");

            PassiveIdentity caller = asked.get(5, TimeUnit.SECONDS);
            assertThat(caller.systemId()).isEqualTo("h9");
            assertThat(caller.externalIds()).isEqualTo(Map.of("system-id", "h9", "weft-tunnel-ip", "192.0.2.9"));
            assertThat(caller.peer()).contains("127.0.0.1");

            answer.complete(session);
            assertThat(peer.nextRequest().get("method").asText()).as("the session took the connection over")
                    .isEqualTo("monitor");
            assertThat(peer.closedByOtherSide()).isFalse();
        }
    }

    @Test
    void aRefusedCallerIsDisconnected() throws Exception {
        try (OvsdbTransport transport = OvsdbTransport.create(1);
             OvsdbManagerListener listener = OvsdbManagerListener.start(transport, "ptcp:0:127.0.0.1",
                     ConnectionOptions.defaults(), PassiveHostLookup.knownHosts(id -> java.util.Optional.empty()))
                     .get(5, TimeUnit.SECONDS);
             FakeOvsdbPeer peer = FakeOvsdbPeer.dialing(listener.localPort())) {
            answerIdentity(peer, "[\"system-id\",\"stranger\"]");
            await().atMost(WAIT).until(peer::closedByOtherSide);
        }
    }

    @Test
    void aCallerWithoutSystemIdIsDisconnectedWithoutAskingTheLookup() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        try (OvsdbTransport transport = OvsdbTransport.create(1);
             OvsdbManagerListener listener = OvsdbManagerListener.start(transport, "ptcp:0:127.0.0.1",
                     ConnectionOptions.defaults(), caller -> {
                         lookups.incrementAndGet();
                         return new CompletableFuture<>();
                     }).get(5, TimeUnit.SECONDS);
             FakeOvsdbPeer peer = FakeOvsdbPeer.dialing(listener.localPort())) {
            answerIdentity(peer, "[\"ovn-encap-ip\",\"192.0.2.9\"]");
            await().atMost(WAIT).until(peer::closedByOtherSide);
            assertThat(lookups).hasValue(0);
        }
    }
}
