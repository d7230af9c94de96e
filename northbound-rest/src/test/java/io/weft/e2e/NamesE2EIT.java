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
import java.net.SocketException;
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
 * resolver is a small dnsjava server in this JVM on loopback, which is where the controller runs.
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
    void aNameSharedByMoreEndpointsThanOnePacketHoldsIsAnsweredWithThoseThatFitAndArrives() {
        // 100 endpoints share "many": 1,600 bytes of A records, more than one packet of red (MTU 1400) holds. The
        // asker offers a 4096-byte EDNS0 buffer; the answer must still fit one packet, or the container never gets it.
        for (int i = 100; i < 200; i++) {
            assertThat(api.announce("red", "{\"name\":\"m" + i + "\",\"host\":\"h2\",\"port\":\"ve-m" + i
                    + "\",\"ip\":\"10.65.10." + i + "\",\"aliases\":[\"many\"]}", false).statusCode()).isEqualTo(201);
        }
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
            for (int i = 100; i < 200; i++) {
                api.remove("red", "m" + i, false);
            }
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

    /** A small authoritative server for {@link #UPSTREAM_NAME} on loopback; silent for {@link #SILENT_NAME}. */
    static final class Upstream implements AutoCloseable {
        private final DatagramSocket socket;
        private final Thread thread;

        private Upstream(DatagramSocket socket) {
            this.socket = socket;
            this.thread = new Thread(this::serve, "test-upstream-dns");
            thread.setDaemon(true);
        }

        static Upstream start() throws SocketException {
            Upstream u = new Upstream(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            u.thread.start();
            return u;
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
                    Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    Name name = q.getQuestion().getName();
                    if (name.equals(Name.fromString(SILENT_NAME))) {
                        continue;
                    }
                    Message a = new Message(q.getHeader().getID());
                    a.getHeader().setFlag(Flags.QR);
                    a.addRecord(q.getQuestion(), Section.QUESTION);
                    if (name.equals(Name.fromString(UPSTREAM_NAME)) && q.getQuestion().getType() == org.xbill.DNS.Type.A) {
                        a.addRecord(new ARecord(name, DClass.IN, 60, InetAddress.getByName(UPSTREAM_ADDRESS)),
                                Section.ANSWER);
                    }
                    byte[] wire = a.toWire();
                    socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
                } catch (java.io.IOException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
