package io.weft.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.e2e.WeftProcess;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedHost;
import io.weft.testbed.ExecResult;
import io.weft.testbed.TestBedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 on the test bed: three emulated hosts, each with its own dockerd (Debian's docker.io) and its own agent
 * ({@code bin/weft docker-plugin}), one controller ({@code bin/weft controller}); users run the docker CLI. The
 * scenarios share the bed and run in order; each leaves no container behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerDriverIT {

    private static final Duration CONVERGE = Duration.ofSeconds(20);

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=3,containers=0");

    static Path work;
    static WeftProcess weft;
    static WeftClient api;
    static final Map<String, DockerHost> HOSTS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("wd");
        weft = new WeftProcess(work.resolve("controller")).start();
        api = weft.client();
        for (BedHost h : BED.hosts()) {
            api.addHost(h);
        }
        warmUnderlay();
        for (BedHost h : BED.hosts()) {
            HOSTS.put(h.name(), DockerHost.start(h, work.resolve(h.name()), api.root().toString()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (DockerHost d : HOSTS.values()) {
            d.close();
        }
        if (weft != null) {
            weft.close();
        }
        if (work != null) {
            try (var paths = Files.walk(work)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ---- scenarios

    @Test
    @Order(1)
    void aNetworkCreatedWithDockerOnH1AppearsOnEveryHostAndInWeft() {
        ok(h("h1").docker("network", "create", "-d", "weft", "--ipam-driver", "weft", "--subnet", "10.65.10.0/24",
                "--gateway", "10.65.10.1", "red"));
        for (DockerHost d : HOSTS.values()) {
            await("red on " + d.name()).atMost(CONVERGE).until(() -> networks(d).contains("red"));
        }
        JsonNode red = api.expect(200, "GET", "/api/v1/networks/red", null);
        assertThat(red.path("encap").asText()).isEqualTo("vxlan");
        assertThat(red.path("subnets").get(0).path("gateway").asText()).isEqualTo("10.65.10.1");
        ExecResult inspect = ok(h("h3").docker("network", "inspect", "-f",
                "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}", "red"));
        assertThat(inspect.stdout().strip()).isEqualTo("10.65.10.0/24 10.65.10.1");
    }

    @Test
    @Order(2)
    void badDriverOptionsAreRefusedWithWeftsMessage() {
        String[] create = {"network", "create", "-d", "weft", "--ipam-driver", "weft", "--subnet", "10.99.0.0/24"};
        assertThat(refused(h("h2").docker(concat(create, "-o", "encap=foo", "bad1"))))
                .contains("encapsulation 'foo' is not supported (use vxlan or gre)");
        assertThat(refused(h("h2").docker(concat(create, "-o", "vni=0", "bad2"))))
                .contains("vni 0 is outside 1..16777215");
        assertThat(refused(h("h2").docker(concat(create, "-o", "colour=blue", "bad3"))))
                .contains("unknown option -o colour");
        assertThat(refused(h("h2").docker("network", "create", "-d", "weft", "--subnet", "10.99.0.0/24", "bad4")))
                .contains("--ipam-driver weft");
        // What only the controller knows, asked before Docker stores the network: the underlay's MTU, the VNIs taken.
        assertThat(refused(h("h2").docker(concat(create, "-o", "mtu=9000", "bad5"))))
                .contains("Weft: mtu 9000 does not fit the underlay").contains("use at most 1450");
        int redVni = api.expect(200, "GET", "/api/v1/networks/red", null).path("vni").asInt();
        assertThat(refused(h("h2").docker(concat(create, "-o", "vni=" + redVni, "bad6"))))
                .contains("Weft: vni " + redVni + " is taken by network red");
        for (DockerHost d : HOSTS.values()) {
            assertThat(networks(d)).noneMatch(n -> n.startsWith("bad"));
        }
        assertThat(api.expect(200, "GET", "/api/v1/networks", null).toString()).doesNotContain("bad");
    }

    @Test
    @Order(3)
    void redAndGreenShareASubnetAcrossHostsEachReachingItsOwnOnlyFromTheFirstPacket() {
        ok(h("h1").docker("network", "create", "-d", "weft", "--ipam-driver", "weft", "--subnet", "10.65.10.0/24",
                "-o", "encap=gre", "green"));
        awaitNetworkEverywhere("green");
        String greenId = networkId("h1", "green");
        assertThat(api.expect(200, "GET", "/api/v1/networks/green", null).path("encap").asText()).isEqualTo("gre");
        // The same address in both networks: red's r1 and green's g1 are both 10.65.10.10, on different hosts.
        run("h1", "r1", "red", "--ip", "10.65.10.10");
        run("h2", "g1", "green", "--ip", "10.65.10.10");
        run("h3", "g3", "green", "--ip", "10.65.10.30");
        // A new container's first packet: one ping, one second, no ARP retry to hide a lost first try.
        assertThat(firstPing("h2", "red", "10.65.10.10")).as("red's first packet from h2 to r1 on h1").isTrue();
        assertThat(firstPing("h1", "green", "10.65.10.10")).as("green's first packet from h1 to g1 on h2").isTrue();
        assertThat(firstPing("h3", "green", "10.65.10.30")).as("green to g3 on its own host").isTrue();
        assertThat(pings(h("h3"), "g3", "10.65.10.10")).as("g3 (green, h3) -> g1 (green, h2) over GRE").isTrue();
        // Isolation: g3 is only in green; from red nobody reaches its address, nor learns green's MACs.
        assertThat(firstPing("h1", "red", "10.65.10.30")).as("red reaching green's g3").isFalse();
        assertThat(h("h1").exec("r1", "ip", "neigh").stdout()).doesNotContain(mac("green", "10.65.10.30"));
        rm("h1", "r1");
        rm("h2", "g1");
        rm("h3", "g3");
        assertThat(networkId("h1", "green")).as("the network its user made with docker, without --gateway")
                .isEqualTo(greenId);
    }

    @Test
    @Order(4)
    void aRoutedNetworkOfTwoSubnetsRoutesBetweenThem() {
        ok(h("h2").docker("network", "create", "-d", "weft", "--ipam-driver", "weft", "--subnet", "10.66.10.0/24",
                "--subnet", "10.66.20.0/24", "routed"));
        awaitNetworkEverywhere("routed");
        assertThat(api.expect(200, "GET", "/api/v1/networks/routed", null).path("subnets").size()).isEqualTo(2);
        run("h1", "ra", "routed", "--ip", "10.66.10.5");
        run("h3", "rb", "routed", "--ip", "10.66.20.5");
        assertThat(pings(h("h1"), "ra", "10.66.20.5")).isTrue();
        assertThat(pings(h("h3"), "rb", "10.66.10.5")).isTrue();
        rm("h1", "ra");
        rm("h3", "rb");
    }

    @Test
    @Order(5)
    void aRemovedContainersEndpointAndFlowsAreGoneFromEveryHost() {
        // Weft puts a network's flows on the hosts that have its endpoints: one on h1 and h3 each, the one to go on h2.
        run("h1", "stay1", "red", "--ip", "10.65.10.71");
        run("h3", "stay3", "red", "--ip", "10.65.10.73");
        run("h2", "gone", "red", "--ip", "10.65.10.77");
        String mac = mac("red", "10.65.10.77");
        for (DockerHost d : HOSTS.values()) {
            assertThat(flows(d)).as("flows of %s", d.name()).contains(mac);
        }
        // docker rm returns once Weft has removed the endpoint and every host acknowledged its flows are gone.
        rm("h2", "gone");
        for (DockerHost d : HOSTS.values()) {
            assertThat(flows(d)).as("flows of %s", d.name()).doesNotContain(mac).doesNotContain("10.65.10.77");
        }
        assertThat(endpointIps("red")).doesNotContain("10.65.10.77");
        assertThat(h("h2").bedHost().vsctl("list-ports", "br-int").orThrow().stdout()).doesNotContain("wh");
        assertThat(h("h2").bedHost().exec("ip", "-o", "link").orThrow().stdout()).doesNotContain("wh");
        rm("h1", "stay1");
        rm("h3", "stay3");
    }

    @Test
    @Order(6)
    void aSecondInterfaceInAnotherNetworkComesAndGoesWithNetworkConnect() {
        run("h1", "multi", "red", "--ip", "10.65.10.20");
        run("h3", "peer", "routed", "--ip", "10.66.10.9");
        ok(h("h1").docker("network", "connect", "--ip", "10.66.10.20", "routed", "multi"));
        assertThat(h("h1").exec("multi", "ip", "-4", "addr").stdout()).contains("10.66.10.20").contains("10.65.10.20");
        assertThat(pings(h("h1"), "multi", "10.66.10.9")).isTrue();
        String mac = mac("routed", "10.66.10.20");
        ok(h("h1").docker("network", "disconnect", "routed", "multi"));
        assertThat(endpointIps("routed")).doesNotContain("10.66.10.20");
        for (DockerHost d : HOSTS.values()) {
            assertThat(flows(d)).as("flows of %s", d.name()).doesNotContain(mac);
        }
        assertThat(endpointIps("red")).contains("10.65.10.20");
        rm("h1", "multi");
        rm("h3", "peer");
    }

    @Test
    @Order(7)
    void agentsRestartWhileContainersPingWithoutLossAndWithoutTouchingEndpoints() throws Exception {
        run("h1", "p1", "red", "--ip", "10.65.10.41");
        run("h2", "p2", "red", "--ip", "10.65.10.42");
        Set<String> before = endpoints();
        // 100 pings 50 ms apart in the background while both agents die and come back.
        ok(h("h1").docker("exec", "-d", "p1", "sh", "-c", "ping -c 100 -i 0.05 10.65.10.42 > /ping.out 2>&1"));
        h("h1").killAgent();
        h("h2").killAgent();
        h("h1").startAgent();
        h("h2").startAgent();
        // Both agents serve again (a new container starts through each) and have reconciled once.
        run("h1", "after1", "red");
        run("h2", "after2", "red");
        await("the pings end").atMost(CONVERGE).until(() -> h("h1").exec("p1", "cat", "/ping.out").stdout()
                .contains("packet loss"));
        assertThat(h("h1").exec("p1", "cat", "/ping.out").stdout()).contains("100 packets received");
        rm("h1", "after1");
        rm("h2", "after2");
        assertThat(endpoints()).isEqualTo(before);
        rm("h1", "p1");
        rm("h2", "p2");
    }

    @Test
    @Order(8)
    void aContainerRemovedWhileItsAgentIsDownIsCleanedUpWhenTheAgentReturns() throws Exception {
        run("h3", "orphan", "red", "--ip", "10.65.10.50");
        String mac = mac("red", "10.65.10.50");
        h("h3").killAgent();
        // Docker cannot reach the plugin: the container goes, its Weft endpoint stays behind for now.
        h("h3").docker("rm", "-f", "orphan");
        assertThat(endpointIps("red")).contains("10.65.10.50");
        h("h3").startAgent();
        await("the orphan's endpoint removed").atMost(CONVERGE)
                .until(() -> !endpointIps("red").contains("10.65.10.50"));
        for (DockerHost d : HOSTS.values()) {
            await("flows with " + mac + " gone from " + d.name()).atMost(CONVERGE)
                    .until(() -> !flows(d).contains(mac));
        }
    }

    @Test
    @Order(9)
    void dockerdRestartsUnderRunningContainersWhichKeepTheirTrafficAndEndpoints() throws Exception {
        run("h1", "live1", "red", "--ip", "10.65.10.61");
        run("h2", "live2", "red", "--ip", "10.65.10.62");
        Set<String> before = endpoints();
        ok(h("h2").docker("exec", "-d", "live2", "sh", "-c", "ping -c 100 -i 0.05 10.65.10.61 > /ping.out 2>&1"));
        h("h1").stopDockerd();
        h("h1").startDockerd();
        await("the pings end").atMost(CONVERGE).until(() -> h("h2").exec("live2", "cat", "/ping.out").stdout()
                .contains("packet loss"));
        assertThat(h("h2").exec("live2", "cat", "/ping.out").stdout()).contains("100 packets received");
        // dockerd restores its containers before it serves its API again: whatever it would have released is.
        assertThat(firstPing("h1", "red", "10.65.10.62")).as("a new container on the restarted dockerd").isTrue();
        assertThat(endpoints()).isEqualTo(before);
        rm("h1", "live1");
        rm("h2", "live2");
    }

    @Test
    @Order(10)
    void aNetworkCreatedInWeftAppearsInDockerAndADockerNetworkRmRemovesItEverywhereOnceUnused() {
        api.addNetwork("blue", "vxlan", "10.67.0.0/24", "10.67.0.254");
        awaitNetworkEverywhere("blue");
        run("h2", "b2", "blue");
        // Docker removes its record even when the driver refuses; Weft refuses (b2 is in blue) and stays the source
        // of truth, so h3 gets blue back.
        h("h3").docker("network", "rm", "blue");
        await("blue back on h3").atMost(CONVERGE).until(() -> networks(h("h3")).contains("blue"));
        api.expect(200, "GET", "/api/v1/networks/blue", null);
        rm("h2", "b2");
        ok(h("h3").docker("network", "rm", "blue"));
        api.expect(404, "GET", "/api/v1/networks/blue", null);
        for (DockerHost d : HOSTS.values()) {
            await("blue gone from " + d.name()).atMost(CONVERGE).until(() -> !networks(d).contains("blue"));
        }
    }

    @Test
    @Order(11)
    void containersResolveEachOthersNamesAndAliasesAcrossHostsThroughWeft() {
        ok(h("h1").docker("network", "create", "-d", "weft", "--ipam-driver", "weft", "--subnet", "10.68.0.0/24",
                "names"));
        awaitNetworkEverywhere("names");
        ok(h("h1").docker("run", "-d", "--name", "web1", "--network", "names", "--network-alias", "www",
                "busybox:local", "sleep", "3600"));
        String ip = ok(h("h1").docker("inspect", "-f", "{{.NetworkSettings.Networks.names.IPAddress}}", "web1"))
                .stdout().strip();
        // The agent names the endpoint once Docker has ended the connect, after docker run returned.
        await("web1's name in Weft").atMost(CONVERGE).until(() -> aliases("names", ip).contains("web1"));
        assertThat(aliases("names", ip)).contains("www");

        // The command, on another host, with no DNS option: the container asks Docker's embedded resolver
        // (127.0.0.11), which does not know h1's web1 and forwards the query from inside the container's namespace
        // to the host's nameserver; Weft's punt takes it on the way and answers.
        ExecResult ping = h("h2").docker("run", "--rm", "--network", "names", "busybox:local", "ping", "-c", "1",
                "-W", "2", "web1");
        if (!ping.ok()) {
            throw new AssertionError("ping web1 from h2: " + ping.stdout() + ping.stderr() + "\n" + namesDiagnosis());
        }
        assertThat(ping.stdout()).contains(ip);

        run("h3", "probe", "names");
        assertThat(h("h3").exec("probe", "cat", "/etc/resolv.conf").stdout()).contains("nameserver 127.0.0.11");
        assertThat(resolves("probe", "www")).contains(ip);
        // A reverse lookup answers the container's name (Docker's own resolver, on h1, answers web1.names; Weft
        // answers the single label that its A records answer), not the endpoint's HOST-TOKEN name.
        assertThat(reverse("probe", ip)).containsExactly("web1");

        ok(h("h1").docker("rename", "web1", "web9"));
        await("the renamed web9 resolves").atMost(CONVERGE).until(() -> resolves("probe", "web9").contains(ip));
        assertThat(resolves("probe", "web1")).as("the old name").doesNotContain(ip);
        assertThat(reverse("probe", ip)).containsExactly("web9");

        // Gone from the network, gone from DNS as soon as docker returns (the endpoint is removed with ?wait).
        ok(h("h1").docker("network", "disconnect", "names", "web9"));
        assertThat(resolves("probe", "web9")).doesNotContain(ip);
        assertThat(resolves("probe", "www")).doesNotContain(ip);
        run("h1", "web3", "names");
        String ip3 = ok(h("h1").docker("inspect", "-f", "{{.NetworkSettings.Networks.names.IPAddress}}", "web3"))
                .stdout().strip();
        await("web3 resolves").atMost(CONVERGE).until(() -> resolves("probe", "web3").contains(ip3));
        rm("h1", "web3");
        assertThat(resolves("probe", "web3")).as("a removed container").doesNotContain(ip3);

        rm("h1", "web9");
        rm("h3", "probe");
        ok(h("h1").docker("network", "rm", "names"));
    }

    @Test
    @Order(12)
    void aControllerThatIsDownFailsDockerRunWithAClearMessage() throws Exception {
        weft.stop();
        try {
            ExecResult r = h("h1").docker("run", "--rm", "--network", "red", "busybox:local", "true");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("Weft controller at " + api.root()).contains("unreachable");
        } finally {
            weft.start();
        }
        assertThat(firstPing("h2", "red", "10.65.10.1")).as("red's gateway, once the controller is back").isTrue();
    }

    // ---- helpers

    private static DockerHost h(String name) {
        return HOSTS.get(name);
    }

    private static ExecResult ok(ExecResult r) {
        return r.orThrow();
    }

    private static String refused(ExecResult r) {
        assertThat(r.exitCode()).as("exit code; stdout %s", r.stdout()).isNotZero();
        return r.stderr();
    }

    private static String[] concat(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static void run(String host, String name, String network, String... options) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", network));
        args.addAll(List.of(options));
        args.addAll(List.of("busybox:local", "sleep", "3600"));
        ok(h(host).docker(args.toArray(String[]::new)));
    }

    private static void rm(String host, String name) {
        ok(h(host).docker("rm", "-f", name));
    }

    /** {@code docker run --rm ... ping -c 1 -W 1}: whether a fresh container's single ping is answered. */
    private static boolean firstPing(String host, String network, String ip) {
        return h(host).docker("run", "--rm", "--network", network, "busybox:local", "ping", "-c", "1", "-W", "1", ip)
                .ok();
    }

    private static boolean pings(DockerHost d, String container, String ip) {
        return d.exec(container, "ping", "-c", "1", "-W", "1", ip).ok();
    }

    /** What says where a query went: a second try, the meters and punt flows of h2, the controller's counts. */
    private static String namesDiagnosis() {
        ExecResult again = h("h2").docker("run", "--rm", "--network", "names", "busybox:local", "nslookup", "web1");
        return "nslookup again: " + again.stdout() + again.stderr() + "\nh2 meter: "
                + h("h2").bedHost().ofctl("meter-stats", "br-int").stdout() + "\nh2 punt: "
                + h("h2").bedHost().ofctl("dump-flows", "br-int", "udp,tp_dst=53").stdout() + "\ncontroller: "
                + api.get("/metrics").body().lines().filter(l -> l.startsWith("weft_names")).toList();
    }

    /** The DNS aliases Weft holds for the endpoint with address {@code ip} in {@code network}. */
    private static List<String> aliases(String network, String ip) {
        List<String> aliases = new ArrayList<>();
        for (JsonNode e : api.expect(200, "GET", "/api/v1/networks/" + network + "/endpoints", null)) {
            if (e.path("ip").asText().equals(ip)) {
                e.path("aliases").forEach(a -> aliases.add(a.asText()));
            }
        }
        return aliases;
    }

    /** The addresses {@code nslookup NAME} finds in a container on h3 (none when the name is unknown). */
    private static Set<String> resolves(String container, String name) {
        Set<String> addresses = new TreeSet<>();
        h("h3").exec(container, "nslookup", name).stdout().lines().map(String::strip)
                .filter(l -> l.startsWith("Address:") && !l.endsWith(":53"))
                .forEach(l -> addresses.add(l.substring("Address:".length()).strip()));
        return addresses;
    }

    /** The names {@code nslookup IP} (a PTR query) finds in a container on h3. */
    private static Set<String> reverse(String container, String ip) {
        Set<String> names = new TreeSet<>();
        h("h3").exec(container, "nslookup", ip).stdout().lines().map(String::strip)
                .filter(l -> l.contains("name = "))
                .forEach(l -> names.add(l.substring(l.indexOf("name = ") + "name = ".length())
                        .replaceFirst("\\.$", "")));
        return names;
    }

    private static String networkId(String host, String network) {
        return ok(h(host).docker("network", "inspect", "-f", "{{.Id}}", network)).stdout().strip();
    }

    private static Set<String> networks(DockerHost d) {
        return new TreeSet<>(d.docker("network", "ls", "--format", "{{.Name}}").stdout().lines().toList());
    }

    private static void awaitNetworkEverywhere(String name) {
        for (DockerHost d : HOSTS.values()) {
            await(name + " on " + d.name()).atMost(CONVERGE).until(() -> networks(d).contains(name));
        }
    }

    private static String flows(DockerHost d) {
        return d.bedHost().ofctl("dump-flows", "br-int").orThrow().stdout();
    }

    /** Weft's MAC for an address of a network: 02:42 and the IP, as Docker's bridge makes them. */
    private static String mac(String network, String ip) {
        for (JsonNode e : api.expect(200, "GET", "/api/v1/networks/" + network + "/endpoints", null)) {
            if (e.path("ip").asText().equals(ip)) {
                return e.path("mac").asText();
            }
        }
        String[] b = ip.split("\\.");
        return String.format("02:42:%02x:%02x:%02x:%02x", Integer.parseInt(b[0]), Integer.parseInt(b[1]),
                Integer.parseInt(b[2]), Integer.parseInt(b[3]));
    }

    private static Set<String> endpointIps(String network) {
        Set<String> ips = new TreeSet<>();
        api.expect(200, "GET", "/api/v1/networks/" + network + "/endpoints", null)
                .forEach(e -> ips.add(e.path("ip").asText()));
        return ips;
    }

    /** Every endpoint in Weft: network, name, host, port, IP and MAC. */
    private static Set<String> endpoints() {
        Set<String> all = new TreeSet<>();
        for (JsonNode n : api.expect(200, "GET", "/api/v1/networks", null)) {
            String network = n.path("name").asText();
            api.expect(200, "GET", "/api/v1/networks/" + network + "/endpoints", null).forEach(e -> all.add(
                    String.join(" ", network, e.path("name").asText(), e.path("host").asText(),
                            e.path("port").asText(), e.path("ip").asText(), e.path("mac").asText())));
        }
        return all;
    }

    /**
     * Every host pings every other over the underlay and hands the neighbours its kernel learned to OVS's tunnel
     * cache, as real hosts' warm underlays are (the bed starts cold; see test-topologies' README).
     */
    private static void warmUnderlay() {
        for (BedHost a : BED.hosts()) {
            for (BedHost b : BED.hosts()) {
                if (a != b) {
                    a.exec("ping", "-c", "1", "-W", "2", b.tunnelIp()).orThrow();
                }
            }
            for (String line : a.exec("ip", "-4", "neigh", "show", "dev", "br-phy").orThrow().stdout().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3 && f[1].equals("lladdr")) {
                    a.appctl("tnl/neigh/set", "br-phy", f[0], f[2]).orThrow();
                }
            }
        }
    }
}
