package io.weft.e2e;

import static io.weft.e2e.E2eSupport.assertReaches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import io.weft.testbed.ExecResult;
import io.weft.testbed.TestBedExtension;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;

/**
 * Issue 15's names on the real bed ({@code redgreen}: red c1 on h1 and c2 on h2; green c3 on h1 and c4 on h2, both on
 * 10.65.10.0/24). Green's c4 is announced as {@code c2} too: equal names in two networks. The containers ask with
 * busybox's {@code nslookup NAME SERVER}; {@code ping NAME} runs in a mount namespace of its own whose
 * {@code /etc/resolv.conf} names the gateway (the bed's containers share the machine's files otherwise). The upstream
 * resolver is a small dnsjava server in this JVM on loopback, which is where the controller runs; it answers over UDP
 * and TCP. DNS over TCP is asked by a python client in the container ({@link #overTcp}): busybox's nslookup has no TCP.
 */
class NamesE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("redgreen");

    private static final String GATEWAY = "10.65.10.254";
    private static final String UPSTREAM_NAME = "example.weft.test.";
    private static final String UPSTREAM_ADDRESS = "192.0.2.80";
    /** The upstream never answers it: the controller must answer SERVFAIL itself. */
    private static final String SILENT_NAME = "silent.weft.test.";

    static WeftProcess weft;
    static WeftClient api;
    static Upstream upstream;
    static Path resolvConf;

    @BeforeAll
    static void provision() throws Exception {
        upstream = Upstream.start();
        Path dir = Files.createTempDirectory("weft-e2e-");
        resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, "nameserver " + GATEWAY + "\noptions timeout:1 attempts:2\n");
        weft = new WeftProcess(dir).start("--dns-upstream", "127.0.0.1:" + upstream.port());
        api = weft.client();
        api.addHost(BED.host("h1"));
        api.addHost(BED.host("h2"));
        // The bed's containers' interfaces have MTU 1400: red says so, as a network's MTU is its containers'.
        api.expect(201, "POST", "/api/v1/networks", "{\"name\":\"red\",\"encap\":\"vxlan\",\"mtu\":1400,"
                + "\"subnets\":[{\"cidr\":\"10.65.10.0/24\",\"gateway\":\"" + GATEWAY + "\"}]}");
        api.addNetwork("green", "vxlan", "10.65.10.0/24", GATEWAY);
        announce(BED.container("c1"), "c1", "[]");
        announce(BED.container("c2"), "c2", "[\"web\"]");
        announce(BED.container("c3"), "c3", "[]");
        announce(BED.container("c4"), "c2", "[\"db\"]");
        assertReaches(BED.container("c1"), BED.container("c2"));
    }

    private static void announce(BedContainer c, String name, String aliases) {
        String body = "{\"name\":\"" + name + "\",\"host\":\"" + c.host() + "\",\"port\":\"" + c.hostInterface()
                + "\",\"ip\":\"" + c.ip() + "\",\"mac\":\"" + c.mac() + "\",\"aliases\":" + aliases + "}";
        assertThat(api.announce(c.network(), body, true).statusCode()).isEqualTo(201);
    }

    /** Endpoints {@code prefix + i} of red on h2 at 10.65.10.{@code i}, {@code from <= i < to}, all {@code alias}. */
    private static void announceSharing(String alias, String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(api.announce("red", "{\"name\":\"" + prefix + i + "\",\"host\":\"h2\",\"port\":\"ve-"
                    + prefix + i + "\",\"ip\":\"10.65.10." + i + "\",\"aliases\":[\"" + alias + "\"]}", false)
                    .statusCode()).isEqualTo(201);
        }
    }

    private static void removeSharing(String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            api.remove("red", prefix + i, false);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (weft != null) {
            weft.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static ExecResult nslookup(BedContainer from, String name, String server) {
        return from.exec(Duration.ofSeconds(15), "busybox", "nslookup", name, server);
    }

    /** The addresses an answer gives for the name (busybox prints the server's own address first). */
    private static java.util.List<String> addresses(ExecResult r) {
        String out = r.stdout();
        int answers = out.indexOf("Name:");
        java.util.List<String> found = new java.util.ArrayList<>();
        if (answers < 0) {
            return found;
        }
        Matcher m = Pattern.compile("Address: ([0-9.]+)").matcher(out.substring(answers));
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void c1OnH1ResolvesC2OnH2ThroughTheGatewayAndPingsItByName() {
        BedContainer c1 = BED.container("c1");
        ExecResult r = nslookup(c1, "c2", GATEWAY);
        assertThat(addresses(r)).as(r.toString()).containsExactly(BED.container("c2").ip());
        assertThat(addresses(nslookup(c1, "web", GATEWAY))).as("an alias").containsExactly(BED.container("c2").ip());
        ExecResult ping = c1.exec(Duration.ofSeconds(20), "unshare", "--mount", "sh", "-c",
                "mount --bind " + resolvConf + " /etc/resolv.conf && ping -n -c1 -W2 c2");
        assertThat(ping.ok()).as(ping.toString()).isTrue();
        assertThat(ping.stdout()).contains("1 received").contains(BED.container("c2").ip());
    }

    @Test
    void queriesToAnyDestinationAreAnsweredByWeftFromThatAddress() {
        ExecResult r = nslookup(BED.container("c1"), "c2", "198.51.100.53");
        assertThat(addresses(r)).as(r.toString()).containsExactly(BED.container("c2").ip());
        assertThat(r.stdout()).contains("198.51.100.53");
    }

    @Test
    void redAndGreenEachResolveTheirOwnC2AndNeverTheOthersNames() {
        BedContainer c3 = BED.container("c3");
        assertThat(addresses(nslookup(c3, "c2", GATEWAY))).containsExactly(BED.container("c4").ip());
        ExecResult web = nslookup(c3, "web", GATEWAY);
        assertThat(web.stdout() + web.stderr()).contains("NXDOMAIN");
        ExecResult db = nslookup(BED.container("c1"), "db", GATEWAY);
        assertThat(db.stdout() + db.stderr()).contains("NXDOMAIN");
    }

    @Test
    void reverseLookupsNameTheEndpointOfTheAskersNetwork() {
        ExecResult red = nslookup(BED.container("c1"), BED.container("c2").ip(), GATEWAY);
        assertThat(red.stdout()).as(red.toString()).contains("name = c2");
        ExecResult green = nslookup(BED.container("c3"), BED.container("c2").ip(), GATEWAY);
        assertThat(green.stdout() + green.stderr()).as("10.65.10.2 is nobody in green").contains("NXDOMAIN");
    }

    @Test
    void aRemovedEndpointIsNxdomainWithinOneSecond() {
        BedContainer c1 = BED.container("c1");
        String body = "{\"name\":\"tmp\",\"host\":\"h2\",\"port\":\"ve-tmp\",\"ip\":\"10.65.10.77\"}";
        // Without wait: ve-tmp is no real interface, so no host could acknowledge it; its name is there at once.
        assertThat(api.announce("red", body, false).statusCode()).isEqualTo(201);
        await("tmp resolves").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> addresses(nslookup(c1, "tmp", GATEWAY)).contains("10.65.10.77"));
        assertThat(api.remove("red", "tmp", false).statusCode()).isEqualTo(204);
        await("tmp NXDOMAIN").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).until(() -> {
            ExecResult r = nslookup(c1, "tmp", GATEWAY);
            return (r.stdout() + r.stderr()).contains("NXDOMAIN");
        });
    }

    @Test
    void aRenamedAliasFollowsAtOnce() {
        BedContainer c1 = BED.container("c1");
        assertThat(api.send("PUT", "/api/v1/networks/red/endpoints/c2/aliases", "{\"aliases\":[\"www\"]}")
                .statusCode()).isEqualTo(200);
        try {
            await("www resolves, web does not").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                    .until(() -> addresses(nslookup(c1, "www", GATEWAY)).contains(BED.container("c2").ip())
                            && (nslookup(c1, "web", GATEWAY).stdout()).contains("NXDOMAIN"));
        } finally {
            api.send("PUT", "/api/v1/networks/red/endpoints/c2/aliases", "{\"aliases\":[\"web\"]}");
        }
    }

    @Test
    void aReverseLookupAnswersTheHostnameWhenTheEndpointHasOne() {
        BedContainer c1 = BED.container("c1");
        String c2 = BED.container("c2").ip();
        assertThat(nslookup(c1, c2, GATEWAY).stdout()).contains("name = c2");
        assertThat(api.send("PUT", "/api/v1/networks/red/endpoints/c2/aliases",
                "{\"aliases\":[\"web\"],\"hostname\":\"app2\"}").statusCode()).isEqualTo(200);
        try {
            await("PTR answers app2, which resolves back").atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> nslookup(c1, c2, GATEWAY).stdout().contains("name = app2")
                            && addresses(nslookup(c1, "app2", GATEWAY)).contains(c2));
        } finally {
            api.send("PUT", "/api/v1/networks/red/endpoints/c2/aliases", "{\"aliases\":[\"web\"]}");
        }
    }

    @Test
    void aNameSharedByMoreEndpointsThanOnePacketHoldsIsAnsweredWithThoseThatFitAndArrives() {
        // 100 endpoints share "many": 1,600 bytes of A records, more than one packet of red (MTU 1400) holds. The
        // asker offers a 4096-byte EDNS0 buffer; the answer must still fit one packet, or the container never gets it.
        announceSharing("many", "m", 100, 200);
        try {
            int mtu = api.expect(200, "GET", "/api/v1/networks/red", null).path("mtu").asInt();
            String ask = String.join("\n",
                    "import socket, struct",
                    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                    "s.settimeout(5)",
                    "opt = b'\\x00' + struct.pack('>HHIH', 41, 4096, 0, 0)",
                    "s.sendto(struct.pack('>HHHHHH', 4343, 0x0100, 1, 0, 0, 1) + b'\\x04many\\x00\\x00\\x01\\x00\\x01'"
                            + " + opt, ('" + GATEWAY + "', 53))",
                    "try:",
                    "    r = s.recv(65535)",
                    "    print('bytes', len(r), 'tc', (r[2] >> 1) & 1, 'answers', struct.unpack('>H', r[6:8])[0])",
                    "except socket.timeout: print('lost')");
            ExecResult r = BED.container("c1").exec(Duration.ofSeconds(20), "/usr/bin/python3", "-c", ask);
            Matcher m = Pattern.compile("bytes (\\d+) tc (\\d) answers (\\d+)").matcher(r.stdout());
            assertThat(m.find()).as("an answer arrived: %s", r).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isLessThanOrEqualTo(mtu - 28);
            assertThat(m.group(2)).as("not truncated").isEqualTo("0");
            assertThat(Integer.parseInt(m.group(3))).isBetween(50, 99);
        } finally {
            removeSharing("m", 100, 200);
        }
    }

    @Test
    void otherNamesAreForwardedToTheUpstreamAndAnUnansweredOneIsServfail() {
        BedContainer c2 = BED.container("c2");
        ExecResult r = nslookup(c2, UPSTREAM_NAME, GATEWAY);
        assertThat(addresses(r)).as(r.toString()).containsExactly(UPSTREAM_ADDRESS);
        // busybox's nslookup says "no servers could be reached" for a SERVFAIL too: read the reply's rcode itself.
        String ask = String.join("\n",
                "import socket, struct",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "s.settimeout(10)",
                "name = b''.join(bytes([len(l)]) + l.encode() for l in '" + SILENT_NAME + "'.strip('.').split('.'))",
                "s.sendto(struct.pack('>HHHHHH', 4242, 0x0100, 1, 0, 0, 0) + name + b'\\x00\\x00\\x01\\x00\\x01',"
                        + " ('" + GATEWAY + "', 53))",
                "reply = s.recv(512)",
                "print('id', struct.unpack('>H', reply[:2])[0], 'rcode', reply[3] & 0xf)");
        ExecResult silent = c2.exec(Duration.ofSeconds(20), "/usr/bin/python3", "-c", ask);
        assertThat(silent.stdout().strip()).as(silent.toString()).isEqualTo("id 4242 rcode 2");
    }

    /**
     * Asks {@code names} (type A) over one TCP connection to {@code server}:53, all written at once (pipelined), and
     * prints one line per answer: {@code id N rcode R tc T bytes B answers A addresses X,Y}.
     */
    private static ExecResult overTcp(BedContainer from, String server, String... names) {
        String ask = String.join("\n",
                "import socket, struct, sys",
                "server, names = sys.argv[1], sys.argv[2:]",
                "s = socket.create_connection((server, 53), timeout=10)",
                "def query(i, n):",
                "    name = b''.join(bytes([len(l)]) + l.encode() for l in n.strip('.').split('.')) + b'\\0'",
                "    m = struct.pack('>HHHHHH', i, 0x0100, 1, 0, 0, 0) + name + b'\\0\\1\\0\\1'",
                "    return struct.pack('>H', len(m)) + m",
                "s.sendall(b''.join(query(i + 1, n) for i, n in enumerate(names)))",
                "def read(k):",
                "    b = b''",
                "    while len(b) < k:",
                "        c = s.recv(k - len(b))",
                "        if not c: sys.exit('closed')",
                "        b += c",
                "    return b",
                "def skip(r, i):",
                "    while r[i] and r[i] < 0xc0: i += 1 + r[i]",
                "    return i + (2 if r[i] else 1)",
                "for _ in names:",
                "    (n,) = struct.unpack('>H', read(2))",
                "    r = read(n)",
                "    qid, flags, qd, an = struct.unpack('>HHHH', r[:8])",
                "    i, found = skip(r, 12) + 4, []",
                "    for _ in range(an):",
                "        i = skip(r, i)",
                "        t, c, ttl, l = struct.unpack('>HHIH', r[i:i + 10])",
                "        if t == 1: found.append(socket.inet_ntoa(r[i + 10:i + 14]))",
                "        i += 10 + l",
                "    print('id', qid, 'rcode', flags & 0xf, 'tc', (flags >> 9) & 1, 'bytes', n, 'answers', an,",
                "          'addresses', ','.join(found))");
        String[] command = new String[4 + names.length];
        command[0] = "/usr/bin/python3";
        command[1] = "-c";
        command[2] = ask;
        command[3] = server;
        System.arraycopy(names, 0, command, 4, names.length);
        return from.exec(Duration.ofSeconds(30), command);
    }

    /** One answer over TCP, as {@link #overTcp} prints it. */
    private record TcpAnswer(int id, int rcode, int tc, int bytes, int answers, java.util.List<String> addresses) {
        static java.util.List<TcpAnswer> of(ExecResult r) {
            Matcher m = Pattern.compile("id (\\d+) rcode (\\d+) tc (\\d) bytes (\\d+) answers (\\d+) addresses (\\S*)")
                    .matcher(r.stdout());
            java.util.List<TcpAnswer> all = new java.util.ArrayList<>();
            while (m.find()) {
                all.add(new TcpAnswer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        m.group(6).isEmpty() ? java.util.List.of() : java.util.List.of(m.group(6).split(","))));
            }
            return all;
        }
    }

    @Test
    void overTcpC1OnH1ResolvesC2OnH2ThroughTheGatewayAndAnyOtherDestination() {
        for (String server : java.util.List.of(GATEWAY, "198.51.100.53")) {
            ExecResult r = overTcp(BED.container("c1"), server, "c2");
            assertThat(TcpAnswer.of(r)).as(r.toString()).singleElement().satisfies(a -> {
                assertThat(a.rcode()).isZero();
                assertThat(a.addresses()).containsExactly(BED.container("c2").ip());
            });
        }
    }

    @Test
    void overTcpRedAndGreenEachResolveTheirOwnNamesOnly() {
        ExecResult green = overTcp(BED.container("c3"), GATEWAY, "c2", "web");
        assertThat(TcpAnswer.of(green)).as(green.toString()).hasSize(2);
        assertThat(TcpAnswer.of(green).get(0).addresses()).containsExactly(BED.container("c4").ip());
        assertThat(TcpAnswer.of(green).get(1).rcode()).as("red's alias is NXDOMAIN in green").isEqualTo(3);
        assertThat(TcpAnswer.of(green).get(1).addresses()).isEmpty();
        ExecResult red = overTcp(BED.container("c1"), GATEWAY, "db");
        assertThat(TcpAnswer.of(red)).as(red.toString()).singleElement()
                .satisfies(a -> assertThat(a.rcode()).isEqualTo(3));
    }

    @Test
    void overTcpOtherNamesAreForwardedToTheUpstreamOverTcp() {
        int before = upstream.tcpQueries();
        ExecResult r = overTcp(BED.container("c2"), GATEWAY, UPSTREAM_NAME);
        assertThat(TcpAnswer.of(r)).as(r.toString()).singleElement()
                .satisfies(a -> assertThat(a.addresses()).containsExactly(UPSTREAM_ADDRESS));
        assertThat(upstream.tcpQueries()).as("asked over TCP").isGreaterThan(before);
    }

    @Test
    void overTcpSeveralPipelinedQueriesOnOneConnectionAreAllAnswered() {
        ExecResult r = overTcp(BED.container("c1"), GATEWAY, "c2", "web", "c1", "nobody", "c2");
        java.util.List<TcpAnswer> answers = TcpAnswer.of(r);
        assertThat(answers).as(r.toString()).hasSize(5);
        java.util.Map<Integer, TcpAnswer> byId = new java.util.HashMap<>();
        answers.forEach(a -> byId.put(a.id(), a));
        assertThat(byId.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(byId.get(1).addresses()).containsExactly(BED.container("c2").ip());
        assertThat(byId.get(2).addresses()).containsExactly(BED.container("c2").ip());
        assertThat(byId.get(3).addresses()).containsExactly(BED.container("c1").ip());
        assertThat(byId.get(4).rcode()).isEqualTo(3);
        assertThat(byId.get(5).addresses()).containsExactly(BED.container("c2").ip());
    }

    @Test
    void overTcpANameSharedByMoreEndpointsThanOnePacketHoldsIsAnsweredWhole() {
        // 150 endpoints share "crowd": 2,400 bytes of A records, several TCP segments; over TCP all are answered.
        announceSharing("crowd", "t", 50, 200);
        try {
            ExecResult r = overTcp(BED.container("c1"), GATEWAY, "crowd");
            assertThat(TcpAnswer.of(r)).as(r.toString()).singleElement().satisfies(a -> {
                assertThat(a.tc()).isZero();
                assertThat(a.bytes()).isGreaterThan(1400);
                assertThat(a.addresses()).hasSize(150);
            });
        } finally {
            removeSharing("t", 50, 200);
        }
    }

    @Test
    void overTcpAContainersConnectionsAreCappedTheOldestResetAndTheNewestAnswered() {
        // 40 connections from c1, more than the 16 one container may hold: the oldest are reset as new ones come.
        String many = String.join("\n",
                "import socket, struct, time, errno",
                "socks = []",
                "for i in range(40):",
                "    s = socket.create_connection(('" + GATEWAY + "', 53), timeout=10)",
                "    socks.append(s)",
                "def reset(s):",
                "    s.setblocking(False)",
                "    try: return s.recv(1) == b''",
                "    except BlockingIOError: return False",
                "    except ConnectionResetError: return True",
                "deadline = time.time() + 10",
                "while sum(reset(s) for s in socks[:24]) < 24 and time.time() < deadline: time.sleep(0.05)",
                "last = socks[-1]; last.setblocking(True)",
                "q = struct.pack('>HHHHHH', 77, 0x0100, 1, 0, 0, 0) + b'\\x02c2\\x00\\x00\\x01\\x00\\x01'",
                "last.sendall(struct.pack('>H', len(q)) + q)",
                "n = struct.unpack('>H', last.recv(2))[0]",
                "print('reset', sum(reset(s) for s in socks), 'answer', len(last.recv(n)))");
        ExecResult r = BED.container("c1").exec(Duration.ofSeconds(60), "/usr/bin/python3", "-c", many);
        Matcher m = Pattern.compile("reset (\\d+) answer (\\d+)").matcher(r.stdout());
        assertThat(m.find()).as(r.toString()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("all but the 16 newest reset").isEqualTo(24);
        assertThat(Integer.parseInt(m.group(2))).as("the newest still answers").isPositive();
        assertThat(api.healthy()).isTrue();
        assertThat(api.get("/metrics").body()).contains("weft_names_tcp_connections");
    }

    @Test
    void aFloodOfQueriesAndGarbageIsMeteredAndTheControllerGoesOn() {
        BedContainer c1 = BED.container("c1");
        // 10,000 datagrams to port 53 as fast as python sends them: valid queries for c2, and every 10th garbage.
        String flood = String.join("\n",
                "import socket, struct",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "q = lambda i: struct.pack('>HHHHHH', i & 0xffff, 0x0100, 1, 0, 0, 0) + b'\\x02c2\\x00\\x00\\x01\\x00\\x01'",
                "for i in range(10000):",
                "    s.sendto(q(i) if i % 10 else bytes([i & 0xff]) * (i % 40), ('" + GATEWAY + "', 53))");
        ExecResult sent = c1.exec(Duration.ofSeconds(60), "/usr/bin/python3", "-c", flood);
        assertThat(sent.ok()).as(sent.toString()).isTrue();
        BedHost h1 = BED.host("h1");
        String stats = h1.ofctl("meter-stats", "br-int").orThrow().stdout();
        Matcher dropped = Pattern.compile("0: packet_count:(\\d+)").matcher(stats);
        assertThat(dropped.find()).as(stats).isTrue();
        assertThat(Long.parseLong(dropped.group(1))).as("packets the meter's band dropped: %s", stats).isPositive();
        assertThat(api.healthy()).isTrue();
        await("names answered again after the flood").atMost(Duration.ofSeconds(10)).until(() ->
                addresses(nslookup(c1, "c2", GATEWAY)).contains(BED.container("c2").ip()));
    }

    /**
     * A small authoritative server for {@link #UPSTREAM_NAME} on loopback, over UDP and TCP on one port; silent for
     * {@link #SILENT_NAME}.
     */
    static final class Upstream implements AutoCloseable {
        private final DatagramSocket socket;
        private final ServerSocket tcp;
        private final Thread thread;
        private final Thread tcpThread;
        private final java.util.concurrent.atomic.AtomicInteger tcpQueries = new java.util.concurrent.atomic.AtomicInteger();

        private Upstream(DatagramSocket socket, ServerSocket tcp) {
            this.socket = socket;
            this.tcp = tcp;
            this.thread = new Thread(this::serve, "test-upstream-dns");
            thread.setDaemon(true);
            this.tcpThread = new Thread(this::serveTcp, "test-upstream-dns-tcp");
            tcpThread.setDaemon(true);
        }

        static Upstream start() throws java.io.IOException {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 16, InetAddress.getLoopbackAddress());
            Upstream u = new Upstream(udp, tcp);
            u.thread.start();
            u.tcpThread.start();
            return u;
        }

        int tcpQueries() {
            return tcpQueries.get();
        }

        /** One query per connection is all the controller's resolver sends; answered like UDP. */
        private void serveTcp() {
            while (!tcp.isClosed()) {
                try (Socket s = tcp.accept()) {
                    s.setSoTimeout(5000);
                    java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
                    byte[] query = new byte[in.readUnsignedShort()];
                    in.readFully(query);
                    tcpQueries.incrementAndGet();
                    byte[] answer = answer(query);
                    if (answer.length > 0) {
                        java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
                        out.writeShort(answer.length);
                        out.write(answer);
                        out.flush();
                    }
                } catch (java.io.IOException e) {
                    if (tcp.isClosed()) {
                        return;
                    }
                }
            }
        }

        /** The answer to a query; empty for the silent name. */
        private static byte[] answer(byte[] query) throws java.io.IOException {
            Message q = new Message(query);
            Name name = q.getQuestion().getName();
            if (name.equals(Name.fromString(SILENT_NAME))) {
                return new byte[0];
            }
            Message a = new Message(q.getHeader().getID());
            a.getHeader().setFlag(Flags.QR);
            a.addRecord(q.getQuestion(), Section.QUESTION);
            if (name.equals(Name.fromString(UPSTREAM_NAME)) && q.getQuestion().getType() == org.xbill.DNS.Type.A) {
                a.addRecord(new ARecord(name, DClass.IN, 60, InetAddress.getByName(UPSTREAM_ADDRESS)),
                        Section.ANSWER);
            }
            return a.toWire();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    byte[] wire = answer(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    if (wire.length == 0) {
                        continue;
                    }
                    socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
                } catch (java.io.IOException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
            tcp.close();
        }
    }
}
