package io.weft.controller.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.weft.controller.intent.IntentException.Kind;
import io.weft.controller.intent.NetworkSpec.SubnetSpec;
import io.weft.controller.store.InMemoryStore;
import io.weft.controller.store.MvStore;
import io.weft.controller.store.Store;
import io.weft.controller.store.StoreState;
import io.weft.model.DatapathType;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentServiceTest {

    private Store store;
    private IntentService intent;

    @BeforeEach
    void setUp() {
        store = new InMemoryStore();
        intent = new IntentService(store);
        intent.createHost(new HostSpec("h1", "192.168.1.1", "unix:/tmp/h1.sock", "netdev", null));
        intent.createHost(new HostSpec("h2", "192.168.1.2", "tcp:192.168.1.2:6640", "system", "ptcp:6653"));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static NetworkSpec net(String name, String encap, Integer vni, Integer mtu, String... cidrAndGw) {
        List<SubnetSpec> subnets = new ArrayList<>();
        for (int i = 0; i < cidrAndGw.length; i += 2) {
            subnets.add(new SubnetSpec(cidrAndGw[i], cidrAndGw[i + 1]));
        }
        return new NetworkSpec(name, subnets, encap, vni, mtu);
    }

    private void refused(Kind kind, String messagePart, ThrowingCallable call) {
        long before = store.current().revision();
        assertThatThrownBy(call).isInstanceOf(IntentException.class)
                .satisfies(e -> assertThat(((IntentException) e).kind()).isEqualTo(kind))
                .hasMessageContaining(messagePart);
        assertThat(store.current().revision()).as("a refused request commits nothing").isEqualTo(before);
    }

    @Test
    void network_gets_a_vni_and_the_mtu_left_by_its_encapsulation() {
        StoreState s = intent.createNetwork(net("red", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"));
        Network red = s.networks().get("red");
        assertThat(red.vni()).isEqualTo(1);
        assertThat(red.mtu()).isEqualTo(1450);
        Network green = intent.createNetwork(net("green", "gre", null, null, "10.0.0.0/24", "10.0.0.1"))
                .networks().get("green");
        assertThat(green.vni()).isEqualTo(2);
        assertThat(green.mtu()).isEqualTo(1458);
        Network blue = intent.createNetwork(net("blue", "vxlan", 5000, 1400, "10.0.0.0/24", "10.0.0.1"))
                .networks().get("blue");
        assertThat(blue.vni()).isEqualTo(5000);
        assertThat(blue.mtu()).isEqualTo(1400);
        assertThat(new IntentService(new InMemoryStore(), 9000)
                .createNetwork(net("jumbo", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"))
                .networks().get("jumbo").mtu()).isEqualTo(8950);
    }

    @Test
    void bad_networks_are_refused_with_what_to_fix() {
        intent.createNetwork(net("red", "vxlan", 10, null, "10.0.0.0/24", "10.0.0.1"));
        refused(Kind.BAD_REQUEST, "not a CIDR", () -> intent.createNetwork(net("a", "vxlan", null, null,
                "10.0.0.0", "10.0.0.1")));
        refused(Kind.BAD_REQUEST, "host bits", () -> intent.createNetwork(net("a", "vxlan", null, null,
                "10.0.0.5/24", "10.0.0.1")));
        refused(Kind.BAD_REQUEST, "outside subnet", () -> intent.createNetwork(net("a", "vxlan", null, null,
                "10.0.0.0/24", "10.0.1.1")));
        refused(Kind.BAD_REQUEST, "vni 16777216 is outside", () -> intent.createNetwork(net("a", "vxlan",
                0x1000000, null, "10.0.0.0/24", "10.0.0.1")));
        refused(Kind.BAD_REQUEST, "vni 0", () -> intent.createNetwork(net("a", "vxlan", 0, null,
                "10.0.0.0/24", "10.0.0.1")));
        refused(Kind.BAD_REQUEST, "vxlan or gre", () -> intent.createNetwork(net("a", "geneve", null, null,
                "10.0.0.0/24", "10.0.0.1")));
        refused(Kind.BAD_REQUEST, "at most 1450", () -> intent.createNetwork(net("a", "vxlan", null, 1500,
                "10.0.0.0/24", "10.0.0.1")));
        refused(Kind.BAD_REQUEST, "overlap", () -> intent.createNetwork(net("a", "vxlan", null, null,
                "10.0.0.0/16", "10.0.0.1", "10.0.5.0/24", "10.0.5.1")));
        refused(Kind.BAD_REQUEST, "subnets is missing", () -> intent.createNetwork(net("a", "vxlan", null, null)));
        refused(Kind.BAD_REQUEST, "network name", () -> intent.createNetwork(net("a/b", "vxlan", null, null,
                "10.0.0.0/24", "10.0.0.1")));
        refused(Kind.CONFLICT, "already exists", () -> intent.createNetwork(net("red", "vxlan", null, null,
                "10.0.0.0/24", "10.0.0.1")));
        refused(Kind.CONFLICT, "vni 10 is taken by network red", () -> intent.createNetwork(net("a", "vxlan",
                10, null, "10.0.0.0/24", "10.0.0.1")));
    }

    @Test
    void a_dry_run_refuses_what_a_create_would_with_the_same_words_and_commits_nothing() {
        intent.createNetwork(net("red", "vxlan", 10, null, "10.0.0.0/24", "10.0.0.1"));
        List<NetworkSpec> bad = List.of(
                net("a", "vxlan", null, 1500, "10.0.0.0/24", "10.0.0.1"),
                net("a", "vxlan", 10, null, "10.0.0.0/24", "10.0.0.1"),
                net("red", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"),
                net("a", "vxlan", null, null, "10.0.0.0/16", "10.0.0.1", "10.0.5.0/24", "10.0.5.1"),
                net("a", "geneve", null, null, "10.0.0.0/24", "10.0.0.1"),
                net("a/b", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"));
        for (NetworkSpec spec : bad) {
            IntentException created = catchThrowableOfType(() -> intent.createNetwork(spec),
                    IntentException.class);
            assertThat(created).as("%s", spec).isNotNull();
            refused(created.kind(), created.getMessage(), () -> intent.dryRunCreateNetwork(spec));
        }
    }

    @Test
    void a_dry_run_answers_the_network_a_create_would_make_and_stores_nothing() {
        intent.createNetwork(net("red", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"));
        StoreState before = store.current();
        Network dry = intent.dryRunCreateNetwork(net("green", "gre", null, null, "10.0.0.0/24", "10.0.0.1"));
        assertThat(dry.vni()).isEqualTo(2);
        assertThat(dry.mtu()).isEqualTo(1458);
        assertThat(store.current()).isSameAs(before);
        Network created = intent.createNetwork(net("green", "gre", null, null, "10.0.0.0/24", "10.0.0.1"))
                .networks().get("green");
        assertThat(created).isEqualTo(dry);
    }

    @Test
    void bad_hosts_are_refused() {
        refused(Kind.CONFLICT, "already exists", () -> intent.createHost(new HostSpec("h1", "192.168.1.9", null,
                "netdev", null)));
        refused(Kind.CONFLICT, "already belongs to host h1", () -> intent.createHost(new HostSpec("h3",
                "192.168.1.1", null, "netdev", null)));
        refused(Kind.BAD_REQUEST, "not an IPv4 address", () -> intent.createHost(new HostSpec("h3", "1.2.3", null,
                "netdev", null)));
        refused(Kind.BAD_REQUEST, "ovsdb target", () -> intent.createHost(new HostSpec("h3", "192.168.1.3",
                "http://x", "netdev", null)));
        refused(Kind.BAD_REQUEST, "openflow target", () -> intent.createHost(new HostSpec("h3", "192.168.1.3",
                null, "netdev", "tcp:1.2.3.4:6653")));
        refused(Kind.BAD_REQUEST, "use system or netdev", () -> intent.createHost(new HostSpec("h3",
                "192.168.1.3", null, "dpdk", null)));
        refused(Kind.NOT_FOUND, "does not exist", () -> intent.deleteHost("h9"));
    }

    @Test
    void endpoint_gets_the_first_free_address_never_network_broadcast_or_gateway() {
        intent.createNetwork(net("red", "vxlan", null, null, "10.0.0.0/30", "10.0.0.1", "11.1.1.0/24", "11.1.1.1"));
        Endpoint first = announce("red", "c1", "h1", "v1", null, null);
        assertThat(first.ip()).isEqualTo(Ipv4Address.parse("10.0.0.2"));
        assertThat(first.mac()).isEqualTo(MacAddress.parse("02:42:0a:00:00:02"));
        Endpoint second = announce("red", "c2", "h2", "v2", null, null);
        assertThat(second.ip()).as("10.0.0.3 is the /30's broadcast").isEqualTo(Ipv4Address.parse("11.1.1.2"));
        Endpoint chosen = announce("red", "c3", "h2", "v3", "11.1.1.3", "02:00:00:00:00:33");
        assertThat(chosen.mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:33"));
        assertThat(announce("red", "c4", "h1", "v4", null, null).ip()).isEqualTo(Ipv4Address.parse("11.1.1.4"));
        intent.removeEndpoint("red", "c1");
        assertThat(announce("red", "c5", "h1", "v5", null, null).ip()).isEqualTo(Ipv4Address.parse("10.0.0.2"));
    }

    @Test
    void a_host_without_a_datapath_type_gets_the_kernel_datapath() {
        Host h3 = intent.createHost(new HostSpec("h3", "192.168.1.3", null, null, null)).hosts().get("h3");
        assertThat(h3.datapathType()).isEqualTo(DatapathType.SYSTEM);
    }

    @Test
    void a_network_without_encap_is_vxlan_and_a_subnet_without_gateway_gets_its_first_address() {
        Network red = intent.createNetwork(net("red", null, null, null, "10.0.0.0/24", null, "10.0.1.0/24",
                "10.0.1.254")).networks().get("red");
        assertThat(red.encapsulation()).isEqualTo(Encapsulation.VXLAN);
        assertThat(red.mtu()).isEqualTo(1450);
        assertThat(red.subnets()).containsExactly(Subnet.of("10.0.0.0/24", "10.0.0.1"),
                Subnet.of("10.0.1.0/24", "10.0.1.254"));
        assertThat(intent.dryRunCreateNetwork(net("green", null, null, null, "10.0.0.0/24", null)))
                .isEqualTo(new Network("green", 2, Encapsulation.VXLAN, 1450,
                        List.of(Subnet.of("10.0.0.0/24", "10.0.0.1"))));
        assertThat(announce("red", "c1", "h1", "v1", null, null).ip())
                .as("the first address is the gateway, so the first endpoint gets the second")
                .isEqualTo(Ipv4Address.parse("10.0.0.2"));
    }

    @Test
    void hosts_are_numbered_with_the_lowest_free_index_and_keep_it() {
        assertThat(store.current().hosts().get("h1").index()).hasValue(0);
        assertThat(store.current().hosts().get("h2").index()).hasValue(1);
        intent.deleteHost("h1");
        intent.createHost(new HostSpec("h3", "192.168.1.3", null, "netdev", null));
        intent.createHost(new HostSpec("h4", "192.168.1.4", null, "netdev", null));
        assertThat(store.current().hosts().get("h2").index()).hasValue(1);
        assertThat(store.current().hosts().get("h3").index()).hasValue(0);
        assertThat(store.current().hosts().get("h4").index()).hasValue(2);
    }

    @Test
    void a_freed_address_in_the_middle_is_the_next_one_given() {
        intent.createNetwork(net("red", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"));
        for (int i = 2; i <= 6; i++) {
            announce("red", "c" + i, "h1", "v" + i, null, null);
        }
        announce("red", "s9", "h1", "v9", "10.0.0.9", null);
        intent.removeEndpoint("red", "c4");
        assertThat(announce("red", "n1", "h2", "n1", null, null).ip()).isEqualTo(Ipv4Address.parse("10.0.0.4"));
        assertThat(announce("red", "n2", "h2", "n2", null, null).ip()).isEqualTo(Ipv4Address.parse("10.0.0.7"));
        assertThat(announce("red", "n3", "h2", "n3", null, null).ip()).isEqualTo(Ipv4Address.parse("10.0.0.8"));
        assertThat(announce("red", "n4", "h2", "n4", null, null).ip()).as("10.0.0.9 is held")
                .isEqualTo(Ipv4Address.parse("10.0.0.10"));
    }

    @Test
    void bad_endpoints_are_refused() {
        intent.createNetwork(net("red", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"));
        announce("red", "c1", "h1", "v1", "10.0.0.5", null);
        refused(Kind.NOT_FOUND, "network blue does not exist", () -> intent.announceEndpoint("blue",
                new EndpointSpec("c2", "h1", "v2", null, null)));
        refused(Kind.NOT_FOUND, "host h9 does not exist", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h9", "v2", null, null)));
        refused(Kind.BAD_REQUEST, "outside every subnet", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v2", "10.0.1.5", null)));
        refused(Kind.BAD_REQUEST, "gateway", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v2", "10.0.0.1", null)));
        refused(Kind.BAD_REQUEST, "broadcast", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v2", "10.0.0.255", null)));
        refused(Kind.BAD_REQUEST, "not an IPv4 address", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v2", "10.0.0.256", null)));
        refused(Kind.BAD_REQUEST, "not a MAC address", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v2", null, "02:42:zz:00:00:01")));
        refused(Kind.BAD_REQUEST, "multicast", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v2", null, "01:00:5e:00:00:01")));
        refused(Kind.BAD_REQUEST, "port", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "a-very-long-interface-name", null, null)));
        refused(Kind.CONFLICT, "already exists", () -> intent.announceEndpoint("red",
                new EndpointSpec("c1", "h2", "v2", null, null)));
        refused(Kind.CONFLICT, "ip 10.0.0.5 is taken by endpoint c1", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v2", "10.0.0.5", null)));
        refused(Kind.CONFLICT, "mac 02:42:0a:00:00:05 is taken", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v2", "10.0.0.6", "02:42:0a:00:00:05")));
        refused(Kind.CONFLICT, "port v1 on host h1", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v1", null, null)));
        refused(Kind.BAD_REQUEST, "'vxlan-h2' belongs to Weft", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "vxlan-h2", null, null)));
        refused(Kind.CONFLICT, "still has 1 endpoint(s) (c1)", () -> intent.deleteNetwork("red"));
        refused(Kind.CONFLICT, "still holds 1 endpoint(s)", () -> intent.deleteHost("h1"));
        refused(Kind.NOT_FOUND, "endpoint c9 does not exist", () -> intent.removeEndpoint("red", "c9"));
        refused(Kind.NOT_FOUND, "network blue", () -> intent.removeEndpoint("blue", "c1"));
    }

    @Test
    void an_endpoints_hostname_is_kept_from_announce_and_replaced_with_its_aliases() {
        intent.createNetwork(net("red", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"));
        EndpointId id = new EndpointId("red", "h1-0a0b0c0d");
        Endpoint e = intent.announceEndpoint("red", new EndpointSpec("h1-0a0b0c0d", "h1", "v1", null, null,
                List.of("web1"), "Web1")).endpoints().get(id);
        assertThat(e.hostname()).contains("web1");
        assertThat(intent.setAliases("red", "h1-0a0b0c0d", List.of("web2"), "web2").endpoints().get(id))
                .satisfies(x -> assertThat(x.hostname()).contains("web2"))
                .satisfies(x -> assertThat(x.aliases()).containsExactly("web2"));
        assertThat(intent.setAliases("red", "h1-0a0b0c0d", List.of()).endpoints().get(id).hostname())
                .as("a replace without a hostname leaves none").isEmpty();
    }

    @Test
    void a_hostname_that_is_no_dns_label_is_refused_and_changes_nothing() {
        intent.createNetwork(net("red", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"));
        announce("red", "c1", "h1", "v1", null, null);
        refused(Kind.BAD_REQUEST, "hostname 'my_app' is not a DNS label", () -> intent.announceEndpoint("red",
                new EndpointSpec("c2", "h1", "v2", null, null, List.of(), "my_app")));
        refused(Kind.BAD_REQUEST, "hostname 'web.red' is not a DNS label", () -> intent.setAliases("red", "c1",
                List.of("web"), "web.red"));
        refused(Kind.BAD_REQUEST, "hostname is empty", () -> intent.setAliases("red", "c1", List.of(), ""));
        assertThat(store.current().endpoints().get(new EndpointId("red", "c1")).aliases()).isEmpty();
    }

    @Test
    void same_ip_is_fine_in_another_network() {
        intent.createNetwork(net("red", "vxlan", null, null, "10.65.10.0/24", "10.65.10.1"));
        intent.createNetwork(net("green", "vxlan", null, null, "10.65.10.0/24", "10.65.10.1"));
        assertThat(announce("red", "c1", "h1", "r1", "10.65.10.2", null).ip())
                .isEqualTo(announce("green", "c1", "h1", "g1", "10.65.10.2", null).ip());
    }

    @Test
    void deletes_remove_what_was_created() {
        intent.createNetwork(net("red", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"));
        announce("red", "c1", "h1", "v1", null, null);
        assertThat(intent.removeEndpoint("red", "c1").endpoints()).isEmpty();
        assertThat(intent.deleteNetwork("red").networks()).isEmpty();
        assertThat(intent.deleteHost("h1").hosts()).containsOnlyKeys("h2");
    }

    @Test
    void fifty_parallel_announcements_get_fifty_distinct_ips(@TempDir Path dir) throws Exception {
        for (Store s : List.of(new InMemoryStore(), MvStore.open(dir))) {
            try (s) {
                IntentService service = new IntentService(s);
                service.createHost(new HostSpec("h1", "192.168.1.1", null, "netdev", null));
                service.createNetwork(net("red", "vxlan", null, null, "10.0.0.0/24", "10.0.0.1"));
                ExecutorService pool = Executors.newFixedThreadPool(16);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<StoreState>> results = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String name = "c" + i;
                    results.add(pool.submit(() -> {
                        go.await();
                        return service.announceEndpoint("red", new EndpointSpec(name, "h1", "v" + name, null, null));
                    }));
                }
                go.countDown();
                for (Future<StoreState> f : results) {
                    f.get(60, TimeUnit.SECONDS);
                }
                pool.shutdown();
                Set<Ipv4Address> ips = new HashSet<>();
                s.current().endpoints().values().forEach(e -> ips.add(e.ip()));
                assertThat(s.current().endpoints()).hasSize(50);
                assertThat(ips).hasSize(50).noneMatch(ip -> ip.equals(Ipv4Address.parse("10.0.0.1")));
            }
        }
    }

    private Endpoint announce(String net, String name, String host, String port, String ip, String mac) {
        StoreState s = intent.announceEndpoint(net, new EndpointSpec(name, host, port, ip, mac));
        return s.endpoints().get(new EndpointId(net, name));
    }

    // ---- issue 10, item 1: a target is accepted only if Weft can use it

    @Test
    void hostTargetsWeftCouldNotConnectToAreRefused() {
        for (String[] bad : new String[][] {{"tcp:127.0.0.1:99999", null}, {"tcp:127.0.0.1:0", null},
            {null, "ptcp:70000"}, {null, "ptcp:0"}, {"tcp:ovs_1:6640", null}, {null, "punix:relative"}}) {
            refused(Kind.BAD_REQUEST, "target", () -> intent.createHost(new HostSpec("h9", "192.168.1.9", bad[0],
                    "netdev", bad[1])));
        }
    }

    @Test
    void tlsTargetsNeedTheControllersCertificate() {
        refused(Kind.BAD_REQUEST, "needs TLS", () -> intent.createHost(new HostSpec("h9", "192.168.1.9",
                "ssl:192.168.1.9:6640", "netdev", null)));
        refused(Kind.BAD_REQUEST, "--tls-cert", () -> intent.createHost(new HostSpec("h9", "192.168.1.9", null,
                "netdev", "pssl:6653")));
        IntentService withTls = new IntentService(store, IntentService.DEFAULT_UNDERLAY_MTU, true);
        withTls.createHost(new HostSpec("h9", "192.168.1.9", "ssl:192.168.1.9:6640", "netdev", "pssl:6653"));
        assertThat(store.current().hosts().get("h9").openflowDialed()).map(Object::toString)
                .contains("ssl:192.168.1.9:6653");
    }

    @Test
    void twoHostsCannotBeReachedAtOneTarget() {
        refused(Kind.CONFLICT, "already reaches host h1", () -> intent.createHost(new HostSpec("h9", "192.168.1.9",
                "unix:/tmp/h1.sock", "netdev", null)));
        refused(Kind.CONFLICT, "already reaches host h2", () -> intent.createHost(new HostSpec("h9", "192.168.1.9",
                "tcp:192.168.1.3:6640", "netdev", "ptcp:6653:192.168.1.2")));
    }
}
