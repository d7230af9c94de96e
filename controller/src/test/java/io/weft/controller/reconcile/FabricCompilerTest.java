package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.controller.store.Mutation;
import io.weft.controller.store.StoreState;
import io.weft.flows.FlowCompiler;
import io.weft.flows.FlowDelta;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.FlowRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fabric compiler's steps, replayed into per-host flow sets, always equal a full compile of the same state. */
class FabricCompilerTest {

    private final FabricCompiler compiler = new FabricCompiler();
    private final Map<String, Set<FlowRule>> hosts = new HashMap<>();
    private final Map<String, PortBindings> published = new HashMap<>();
    private final Map<EndpointId, Long> writtenAt = new HashMap<>();
    private StoreState intent = StoreState.EMPTY;

    @Test
    void stepsFollowIntentAndBindings() {
        commit(new Mutation.PutHost(Host.of("h1", "172.31.1.11")), new Mutation.PutHost(Host.of("h2", "172.31.1.12")),
                new Mutation.PutHost(Host.of("h3", "172.31.1.13")), network("red", 100), network("blue", 200));
        Endpoint a = endpoint("red", "a", "h1", "va", 1);
        Endpoint b = endpoint("red", "b", "h2", "vb", 2);
        Endpoint c = endpoint("blue", "c", "h3", "vc", 3);
        long written = commit(new Mutation.PutEndpoint(a), new Mutation.PutEndpoint(b), new Mutation.PutEndpoint(c));

        FabricCompiler.Step step = step();
        assertThat(step.oldestUnbound()).as("nothing published yet").containsOnly(
                Map.entry("h1", written), Map.entry("h2", written), Map.entry("h3", written));
        assertThat(step.covers(written, "h1")).isFalse();

        published.put("h1", bindings(Map.of("va", 10, "stale", 99), Map.of()));
        published.put("h2", bindings(Map.of("vb", 10), Map.of()));
        published.put("h3", new PortBindings(List.of(), tunnels(), Map.of(), List.of(), Map.of(c, "no such device")));
        step = step();
        assertThat(step.oldestUnbound()).as("bound or failed").isEmpty();
        assertThat(step.covers(written, "h3")).isTrue();
        assertThat(compiler.compiled().ofports().get("h1")).as("a port no endpoint names is left out")
                .doesNotContainKey("stale").containsEntry("va", 10);
        assertThat(hosts.get("h1")).anySatisfy(f -> assertThat(f.cookie()).isEqualTo(cookie(b)));

        // b goes from the intent while h2 still reports its port: only red's hosts change, and only b's flows.
        commit(new Mutation.DeleteEndpoint(b.id()));
        step = step();
        assertThat(step.deltas()).containsOnlyKeys("h1", "h2");
        assertThat(step.deltas().get("h1").removed()).isNotEmpty().allSatisfy(f ->
                assertThat(f.cookie()).isEqualTo(cookie(b)));
        assertThat(step.deltas().get("h1").added()).isEmpty();

        published.put("h2", bindings(Map.of(), Map.of()));
        assertThat(step().deltas()).as("the port leaving after its endpoint changes nothing").isEmpty();
    }

    private FabricCompiler.Step step() {
        FabricCompiler.Step step = compiler.advance(intent, published, writtenAt);
        step.deltas().forEach((host, delta) -> hosts.put(host, delta.applyTo(hosts.getOrDefault(host, Set.of()))));
        for (String host : intent.hosts().keySet()) {
            assertThat(hosts.getOrDefault(host, Set.of())).as("%s after step %d", host, step.generation())
                    .isEqualTo(Set.copyOf(FlowCompiler.compile(compiler.compiled(), host).flows()));
        }
        return step;
    }

    private long commit(Mutation... mutations) {
        StoreState before = intent;
        intent = intent.apply(List.of(mutations));
        IntentChange change = IntentChange.between(before, intent);
        change.written().forEach(id -> writtenAt.put(id, intent.revision()));
        change.deleted().forEach(writtenAt::remove);
        return intent.revision();
    }

    private static PortBindings bindings(Map<String, Integer> endpoints, Map<Endpoint, String> failed) {
        return new PortBindings(List.of(), tunnels(), endpoints, List.of(), failed);
    }

    /** Every host numbers its tunnels alike in this test; only names it does not have are unused. */
    private static Map<String, Integer> tunnels() {
        return Map.of("vxlan-h1", 1, "vxlan-h2", 2, "vxlan-h3", 3, "gre-h1", 4, "gre-h2", 5, "gre-h3", 6);
    }

    private static Mutation network(String name, int vni) {
        return new Mutation.PutNetwork(new Network(name, vni, Encapsulation.VXLAN, 1450,
                List.of(Subnet.of("10.0.0.0/24", "10.0.0.254"))));
    }

    private static Endpoint endpoint(String network, String name, String host, String port, int n) {
        Ipv4Address ip = Ipv4Address.parse("10.0.0." + n);
        return new Endpoint(new EndpointId(network, name), host, port, MacAddress.fromIpv4(ip), ip);
    }

    private static long cookie(Endpoint e) {
        return Cookies.of(Cookies.Kind.ENDPOINT, e.id().toString());
    }
}
