package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.model.DatapathType;
import io.weft.model.Encapsulation;
import io.weft.model.Ipv4Address;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredBridge;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-host session against a scripted server: monitor, transact, conflict retry, completion on cur_cfg. */
class OvsdbHostTest {

    private static final String INITIAL = """
            {"Open_vSwitch":{"ovs-root":{"new":{"bridges":["set",[]],"cur_cfg":0,"next_cfg":0,
              "external_ids":["map",[["system-id","fake"]]]}}}}""";

    private static String results(JsonNode transact, String firstResult) {
        int ops = transact.get("params").size() - 1;
        StringBuilder sb = new StringBuilder("[").append(firstResult);
        for (int i = 1; i < ops - 1; i++) {
            sb.append(",{}");
        }
        return sb.append(",{\"rows\":[{\"next_cfg\":1}]}]").toString();
    }

    @Test
    void aConflictIsRetriedAndApplyCompletesOnlyWhenCurCfgCatchesUp() throws Exception {
        try (OvsdbTransport transport = OvsdbTransport.create(1); FakeOvsdbPeer peer = new FakeOvsdbPeer();
             OvsdbHost host = OvsdbHost.active("fake", peer.target(), transport)) {
            JsonNode monitor = peer.nextRequest();
            assertThat(monitor.get("method").asText()).isEqualTo("monitor");
            assertThat(monitor.get("params").get(2).fieldNames()).toIterable()
                    .containsExactly("Open_vSwitch", "Bridge", "Port", "Interface", "Controller");
            peer.send("{\"id\":" + monitor.get("id") + ",\"error\":null,\"result\":" + INITIAL + "}");

            DesiredBridge desired = new DesiredBridge("br-int", DatapathType.NETDEV, List.of(),
                    List.of(new TunnelPort("h2", Encapsulation.VXLAN, Ipv4Address.parse("10.0.0.1"),
                            Ipv4Address.parse("10.0.0.2")).toDesiredPort()));
            CompletableFuture<ProvisionResult> applied = host.apply(desired);

            JsonNode first = peer.nextRequest();
            assertThat(first.get("method").asText()).isEqualTo("transact");
            peer.send("{\"id\":" + first.get("id") + ",\"error\":null,\"result\":"
                    + results(first, "{\"error\":\"timed out\"}") + "}");
            JsonNode second = peer.nextRequest();
            assertThat(second.get("method").asText()).as("retried after the conflict").isEqualTo("transact");
            assertThat(second.get("params")).isEqualTo(first.get("params"));
            peer.send("{\"id\":" + second.get("id") + ",\"error\":null,\"result\":" + results(second, "{}") + "}");

            // Not done before ovs-vswitchd reports cur_cfg, however long we look.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !applied.isDone());
            peer.send("{\"id\":null,\"method\":\"update\",\"params\":[\"weft\",{\"Open_vSwitch\":{\"ovs-root\":"
                    + "{\"new\":{\"bridges\":[\"set\",[]],\"cur_cfg\":1,\"next_cfg\":1}}}}]}");
            ProvisionResult r = applied.get(5, TimeUnit.SECONDS);
            assertThat(r).isEqualTo(new ProvisionResult("fake", second.get("params").size() - 1, 2, 1));
            assertThat(host.transactionsSent()).isEqualTo(2);
            assertThat(host.snapshot().curCfg()).isEqualTo(1);
        }
    }
}
