package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.controller.store.Mutation;
import io.weft.controller.store.StoreChange;
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
import org.pcollections.HashTreePMap;

/** The fabric compiler's steps, replayed into per-host flow sets, always equal a full compile of the same state. */
class FabricCompilerTest {

    private final FabricCompiler compiler = new FabricCompiler();
    private final Map<String, Set<FlowRule>> hosts = new HashMap<>();
    private StoreState intent = StoreState.EMPTY;

    @Test
    void stepsFollowCommitsAndPortReportsAndEqualFullCompiles() {
        commit(new Mutation.PutHost(Host.of("h1", "172.31.1.11")), new Mutation.PutHost(Host.of("h2", "172.31.1.12")),
                new Mutation.PutHost(Host.of("h3", "172.31.1.13")), network("red", 100), network("blue", 200));
        Endpoint a = endpoint("red", "a", "h1", "va", 1);
        Endpoint b = endpoint("red", "b", "h2", "vb", 2);
        Endpoint c = endpoint("blue", "c", "h3", "vc", 3);
        commit(new Mutation.PutEndpoint(a), new Mutation.PutEndpoint(b), new Mutation.PutEndpoint(c));
        step();

        // Ports reported: each host's own endpoints and tunnels get their ofports; only that host's flows change.
        ports("h1", Map.of("va", 10), Set.of(a.id()), true);
        Map<String, FlowDelta> deltas = step();
        assertThat(deltas).containsOnlyKeys("h1");
        ports("h2", Map.of("vb", 10), Set.of(b.id()), true);
        ports("h3", Map.of("vc", 11), Set.of(c.id()), true);
        step();
        assertThat(hosts.get("h1")).as("h1 tunnels to b on h2").anySatisfy(f ->
                assertThat(f.cookie()).isEqualTo(cookie(b)));

        // b leaves while h2 still reports its port: only red's hosts change, and only b's flows.
        commit(new Mutation.DeleteEndpoint(b.id()));
        deltas = step();
        assertThat(deltas).containsOnlyKeys("h1", "h2");
        assertThat(deltas.get("h1").removed()).isNotEmpty().allSatisfy(f ->
                assertThat(f.cookie()).isEqualTo(cookie(b)));
        assertThat(deltas.get("h1").added()).isEmpty();

        ports("h2", Map.of(), Set.of(), true);
        assertThat(step()).as("the port leaving after its endpoint changes nothing").isEmpty();
    }

    @Test
    void theStoredIntentTakenInAtStartMovesTheSnapshotWithoutComputingChanges() {
        commit(new Mutation.PutHost(Host.of("h1", "172.31.1.11")), new Mutation.PutHost(Host.of("h2", "172.31.1.12")),
                network("red", 100));
        Endpoint a = endpoint("red", "a", "h1", "va", 1);
        commit(new Mutation.PutEndpoint(a));

        compiler.advance(intent);
        assertThat(compiler.generation()).isEqualTo(1);
        assertThat(compiler.hasPending()).isFalse();
        assertThat(compiler.compiled().revision()).isEqualTo(intent.revision());
        assertThat(compiler.compiled().endpoints()).containsKey(a.id());

        // From there, steps go on as usual: a host's full flows come from the snapshot, deltas follow.
        ports("h1", Map.of("va", 10), Set.of(a.id()), true);
        compiler.step(intent);
        compiler.full(Set.of("h1", "h2")).forEach((h, f) -> hosts.put(h, Set.copyOf(f.flows())));
        Endpoint b = endpoint("red", "b", "h2", "vb", 2);
        commit(new Mutation.PutEndpoint(b));
        step();
        assertThat(hosts.get("h1")).anySatisfy(f -> assertThat(f.cookie()).isEqualTo(cookie(b)));
    }

    private Map<String, FlowDelta> step() {
        Map<String, FlowDelta> deltas = compiler.step(intent);
        deltas.forEach((host, delta) -> hosts.put(host, delta.applyTo(hosts.getOrDefault(host, Set.of()))));
        for (String host : intent.hosts().keySet()) {
            assertThat(hosts.getOrDefault(host, Set.of())).as("%s after step %d", host, compiler.generation())
                    .isEqualTo(Set.copyOf(FlowCompiler.compile(compiler.compiled(), host).flows()));
        }
        return deltas;
    }

    private void commit(Mutation... mutations) {
        StoreState before = intent;
        intent = intent.apply(List.of(mutations));
        compiler.intentChanged(IntentChange.of(new StoreChange(before, intent, List.of(mutations))));
    }

    /** {@code host} reports these endpoint ports (and the same tunnels as every host in this test). */
    private void ports(String host, Map<String, Integer> endpoints, Set<EndpointId> rebound, boolean tunnels) {
        Map<String, Integer> all = new HashMap<>(tunnels());
        all.putAll(endpoints);
        Map<String, Integer> before = compiler.compiled().ofports().getOrDefault(host, Map.of());
        compiler.portsChanged(host, HashTreePMap.from(all), rebound,
                tunnels && !before.keySet().containsAll(tunnels().keySet()));
    }

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
