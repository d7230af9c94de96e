package io.weft.controller.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.flows.FlowCompiler;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Field;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of a host's flows count an endpoint's traffic, on the flows compiled for c1 and c2 on h1 and c3 on h2. */
class EndpointCountersTest {

    private static final Network RED = new Network("red", 101, Encapsulation.VXLAN, 1450,
            List.of(Subnet.of("10.0.0.0/24", "10.0.0.254")));
    private static final Endpoint C1 = endpoint("c1", "h1", 1);
    private static final Endpoint C2 = endpoint("c2", "h1", 2);
    private static final Endpoint C3 = endpoint("c3", "h2", 3);
    private static final NetworkSnapshot SNAPSHOT = NetworkSnapshot.of(1,
            List.of(Host.of("h1", "172.31.1.1"), Host.of("h2", "172.31.1.2")), List.of(RED), List.of(C1, C2, C3),
            Map.of("h1", Map.of("vxlan-h2", 1, "v1", 10, "v2", 11), "h2", Map.of("vxlan-h1", 1, "v3", 10)));

    @Test
    void txIsWhatPassedItsPortSecurityAndRxWhatWasDeliveredToItsPort() {
        // Every flow on h1 counts one packet of (table + 1) * 100 bytes: the sums say which flows were counted.
        List<SwitchReading.CountedFlow> flows = FlowCompiler.compile(SNAPSHOT, "h1").flows().stream()
                .map(f -> new SwitchReading.CountedFlow(f, 1, (f.tableId() + 1) * 100L)).toList();
        EndpointCounters c1 = EndpointCounters.of(10, new SwitchReading("h1", Instant.EPOCH, flows, 0));

        // tx: c1's two classifier flows (IPv4, ARP). rx: its l2_forward delivery, arp_reply, icmp_reply.
        assertThat(c1.txPackets()).isEqualTo(2);
        assertThat(c1.txBytes()).isEqualTo(2 * 100);
        assertThat(c1.rxPackets()).isEqualTo(3);
        assertThat(c1.rxBytes()).isEqualTo(3100 + 1200 + 2200);
        assertThat(c1.at()).isEqualTo(Instant.EPOCH);
        long notFromC1 = flows.stream().filter(f -> f.flow().match().get(Field.IN_PORT)
                .map(m -> m.value() == 11).orElse(false)).count();
        assertThat(notFromC1).as("c2's flows exist on h1 and are not c1's").isPositive();
    }

    @Test
    void aFlowNeverMatchedCountsNothing() {
        List<SwitchReading.CountedFlow> flows = FlowCompiler.compile(SNAPSHOT, "h1").flows().stream()
                .map((FlowRule f) -> new SwitchReading.CountedFlow(f, 0, 0)).toList();
        assertThat(EndpointCounters.of(10, new SwitchReading("h1", Instant.EPOCH, flows, 0)))
                .isEqualTo(new EndpointCounters(0, 0, 0, 0, Instant.EPOCH));
    }

    private static Endpoint endpoint(String name, String host, int n) {
        Ipv4Address ip = Ipv4Address.parse("10.0.0." + n);
        return new Endpoint(new EndpointId("red", name), host, "v" + n, MacAddress.fromIpv4(ip), ip);
    }
}
