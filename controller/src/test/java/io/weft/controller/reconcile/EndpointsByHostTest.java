package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.controller.store.Mutation;
import io.weft.controller.store.StoreState;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EndpointsByHostTest {

    @Test
    void updatingFromChangesGivesTheSameIndexAsBuildingFromScratch() {
        StoreState state = StoreState.EMPTY.apply(List.of(new Mutation.PutHost(Host.of("h1", "172.31.1.11")),
                new Mutation.PutHost(Host.of("h2", "172.31.1.12")), new Mutation.PutHost(Host.of("h3", "172.31.1.13")),
                new Mutation.PutNetwork(new Network("red", 5, Encapsulation.VXLAN, 1450,
                        List.of(Subnet.of("10.0.0.0/16", "10.0.255.254"))))));
        EndpointsByHost index = EndpointsByHost.of(state);
        Random random = new Random(7);
        for (int step = 0; step < 300; step++) {
            List<Mutation> batch = new ArrayList<>();
            for (int k = random.nextInt(3); k >= 0; k--) {
                int n = random.nextInt(40);
                EndpointId id = new EndpointId("red", "e" + n);
                if (random.nextInt(3) == 0) {
                    batch.add(new Mutation.DeleteEndpoint(id));
                } else {
                    // Re-announcing an id may move it to another host.
                    Ipv4Address ip = Ipv4Address.parse("10.0.0." + (n + 1));
                    batch.add(new Mutation.PutEndpoint(new Endpoint(id, "h" + (1 + random.nextInt(3)), "p" + n,
                            MacAddress.fromIpv4(ip), ip)));
                }
            }
            StoreState next = state.apply(batch);
            index = index.next(next, IntentChange.between(state, next));
            EndpointsByHost expected = EndpointsByHost.of(next);
            for (String host : List.of("h1", "h2", "h3")) {
                assertThat(new HashSet<>(index.on(host))).as("step %d, %s", step, host)
                        .isEqualTo(new HashSet<>(expected.on(host)));
            }
            state = next;
        }
    }
}
