package io.weft.controller.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.store.Codec;
import io.weft.controller.store.Mutation;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EtcdLayoutTest {

    static final EtcdLayout LAYOUT = new EtcdLayout(new EtcdTarget(List.of("127.0.0.1:2379"), "/weft-a"));

    static Host host(String name, String ip) {
        return Host.of(name, ip).withIndex(3);
    }

    static Network network(String name, int vni) {
        return new Network(name, vni, Encapsulation.VXLAN, 1450, List.of(Subnet.of("10.0.0.0/24", "10.0.0.1")));
    }

    static Endpoint endpoint(String net, String name, String host, String ip) {
        Ipv4Address a = Ipv4Address.parse(ip);
        return new Endpoint(new EndpointId(net, name), host, "veth-" + name, MacAddress.fromIpv4(a), a,
                List.of("db"));
    }

    @Test
    void every_record_has_its_key_under_the_intent_prefix() {
        assertThat(LAYOUT.key(new Mutation.PutHost(host("h1", "192.168.1.1")))).isEqualTo("/weft-a/intent/hosts/h1");
        assertThat(LAYOUT.key(new Mutation.DeleteNetwork("red"))).isEqualTo("/weft-a/intent/networks/red");
        assertThat(LAYOUT.key(new Mutation.DeleteEndpoint(new EndpointId("red", "c1"))))
                .isEqualTo("/weft-a/intent/endpoints/red/c1");
        assertThat(LAYOUT.guardKey()).isEqualTo("/weft-a/intent/guard");
        assertThat(LAYOUT.intentPrefix()).isEqualTo("/weft-a/intent/");
    }

    @Test
    void what_a_commit_writes_reads_back_as_the_same_mutations() {
        List<Mutation> mutations = List.of(new Mutation.PutHost(host("h1", "192.168.1.1")),
                new Mutation.PutNetwork(network("red", 7)),
                new Mutation.PutEndpoint(endpoint("red", "c1", "h1", "10.0.0.2")),
                new Mutation.DeleteEndpoint(new EndpointId("red", "c9")),
                new Mutation.DeleteNetwork("blue"),
                new Mutation.DeleteHost("h9"));
        Map<String, Optional<String>> writes = LAYOUT.writes(mutations);
        List<Mutation> read = writes.entrySet().stream()
                .map(w -> LAYOUT.mutation(w.getKey(), w.getValue()).orElseThrow()).toList();
        assertThat(read).isEqualTo(mutations);
        // One format for both stores: the value is the embedded store's record.
        assertThat(writes.get("/weft-a/intent/networks/red")).contains(Codec.encode(network("red", 7)));
    }

    @Test
    void a_key_written_twice_in_one_commit_keeps_its_last_write() {
        Endpoint c1 = endpoint("red", "c1", "h1", "10.0.0.2");
        Map<String, Optional<String>> writes = LAYOUT.writes(List.of(new Mutation.PutEndpoint(c1),
                new Mutation.PutHost(host("h1", "192.168.1.1")), new Mutation.DeleteEndpoint(c1.id())));
        assertThat(writes.keySet()).containsExactly("/weft-a/intent/hosts/h1", "/weft-a/intent/endpoints/red/c1");
        assertThat(writes.get("/weft-a/intent/endpoints/red/c1")).isEmpty();
    }

    @Test
    void the_guard_is_no_mutation() {
        assertThat(LAYOUT.mutation("/weft-a/intent/guard", Optional.of("41"))).isEmpty();
    }

    @Test
    void a_value_that_does_not_decode_is_refused_naming_its_key() {
        assertThatThrownBy(() -> LAYOUT.mutation("/weft-a/intent/hosts/h1", Optional.of("{\"name\":\"h1\"")))
                .isInstanceOf(DamagedEtcdKeyException.class)
                .hasMessageContaining("etcd key /weft-a/intent/hosts/h1 cannot be read: its value does not decode")
                .hasMessageContaining("etcdctl del /weft-a/intent/hosts/h1");
        assertThatThrownBy(() -> LAYOUT.mutation("/weft-a/intent/networks/red", Optional.of("{}")))
                .isInstanceOf(DamagedEtcdKeyException.class).hasMessageContaining("networks/red");
    }

    @Test
    void a_record_under_another_name_is_refused() {
        String h2 = Codec.encode(host("h2", "192.168.1.2"));
        assertThatThrownBy(() -> LAYOUT.mutation("/weft-a/intent/hosts/h1", Optional.of(h2)))
                .isInstanceOf(DamagedEtcdKeyException.class).hasMessageContaining("it holds host h2, not h1");
        String c2 = Codec.encode(endpoint("red", "c2", "h1", "10.0.0.3"));
        assertThatThrownBy(() -> LAYOUT.mutation("/weft-a/intent/endpoints/red/c1", Optional.of(c2)))
                .isInstanceOf(DamagedEtcdKeyException.class).hasMessageContaining("endpoint red/c2, not red/c1");
    }

    @Test
    void a_key_weft_does_not_keep_is_refused() {
        assertThatThrownBy(() -> LAYOUT.mutation("/weft-a/intent/routers/r1", Optional.of("{}")))
                .isInstanceOf(DamagedEtcdKeyException.class).hasMessageContaining("Weft keeps no such key");
        assertThatThrownBy(() -> LAYOUT.mutation("/weft-a/intent/endpoints/red", Optional.empty()))
                .isInstanceOf(DamagedEtcdKeyException.class);
        assertThatThrownBy(() -> LAYOUT.mutation("/weft-b/intent/hosts/h1", Optional.empty()))
                .isInstanceOf(DamagedEtcdKeyException.class).hasMessageContaining("outside /weft-a/intent/");
    }
}
