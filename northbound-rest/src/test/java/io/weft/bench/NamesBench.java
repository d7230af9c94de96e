package io.weft.bench;

import io.weft.flows.NameQueries;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.ExecResult;
import io.weft.testbed.TestBed;
import io.weft.testbed.TopologySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15's benchmark, run by {@code northbound-rest/bench-names.sh}: a real {@code bin/weft controller} and the
 * {@code redgreen} bed (red c1 on h1, c2 on h2). From c1's namespace a python client (1) asks for {@code c2} one
 * query at a time, at most 500 a second (under the meter's 1000), and records each round trip (query latency of a
 * local name), over UDP, over one TCP connection, and over a new TCP connection per query; then (2) offers queries
 * at rising
 * rates for a few seconds each and counts the answers: the rate h1 sustains before its meter drops. Meter 1's drop
 * count is read from h1 after each step. Then (3), with {@code --unmetered-rates}, meter 1 on h1 is raised out of the
 * way (ovs-ofctl mod-meter; Weft sets it only when the switch connects) and the same offers measure what the
 * controller answers without it; the controller's own counts per step say where the rest was lost.
 */
public final class NamesBench {

    private static final String GATEWAY = "10.65.10.254";
    private static final Pattern BAND = Pattern.compile("0: packet_count:(\\d+)");

    /** One client in the container: sequential round trips, or a paced offer with answers counted. */
    private static final String CLIENT = String.join("\n",
            "import socket, struct, sys, time, select",
            "mode, n, rate, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.connect(('" + GATEWAY + "', 53))",
            "def query(i): return struct.pack('>HHHHHH', i & 0xffff, 0x0100, 1, 0, 0, 0)"
                    + " + b'\\x02c2\\x00\\x00\\x01\\x00\\x01'",
            "def over_tcp(c, i):",
            "    q = query(i); c.sendall(struct.pack('>H', len(q)) + q); b = b''",
            "    while len(b) < 2 or len(b) < 2 + struct.unpack('>H', b[:2])[0]:",
            "        r = c.recv(4096)",
            "        if not r: raise socket.timeout()",
            "        b += r",
            "if mode == 'tcp-connection':  # one connection for all queries, one at a time",
            "    c = socket.create_connection(('" + GATEWAY + "', 53), timeout=2)",
            "    for i in range(n):",
            "        t = time.perf_counter_ns()",
            "        try: over_tcp(c, i); print('rtt_us', (time.perf_counter_ns() - t) // 1000)",
            "        except (socket.timeout, OSError): print('lost'); c = socket.create_connection(('" + GATEWAY
                    + "', 53), timeout=2)",
            "        time.sleep(max(0, 0.004 - (time.perf_counter_ns() - t) / 1e9))  # a query and an ACK: 500/s",
            "elif mode == 'tcp-new':  # a new connection per query: handshake, query, answer (then closed)",
            "    for i in range(n):",
            "        t = time.perf_counter_ns()",
            "        try:",
            "            c = socket.create_connection(('" + GATEWAY + "', 53), timeout=2); over_tcp(c, i)",
            "            print('rtt_us', (time.perf_counter_ns() - t) // 1000); c.close()",
            "        except (socket.timeout, OSError): print('lost')",
            "        time.sleep(max(0, 0.01 - (time.perf_counter_ns() - t) / 1e9))  # ~5 packets each: 100/s",
            "elif mode == 'latency':",
            "    s.settimeout(2)",
            "    for i in range(n):",
            "        t = time.perf_counter_ns(); s.send(query(i))",
            "        try:",
            "            while struct.unpack('>H', s.recv(512)[:2])[0] != i & 0xffff: pass",
            "            print('rtt_us', (time.perf_counter_ns() - t) // 1000)",
            "        except socket.timeout: print('lost')",
            "        time.sleep(max(0, 0.002 - (time.perf_counter_ns() - t) / 1e9))  # at most 500/s: under the meter",
            "else:",
            "    s.setblocking(False); sent = answered = 0; start = time.perf_counter(); end = start + seconds",
            "    while True:",
            "        now = time.perf_counter()",
            "        if now < end and sent < (now - start) * rate:",
            "            try: s.send(query(sent)); sent += 1",
            "            except BlockingIOError: pass",
            "            continue",
            "        if now > end + 1: break",
            "        r, _, _ = select.select([s], [], [], 0.001)",
            "        while r:",
            "            try: s.recv(512); answered += 1",
            "            except BlockingIOError: break",
            "    print('offered', sent, 'answered', answered, 'seconds', seconds)");

    private NamesBench() {
    }

    public static void main(String[] args) throws Exception {
        int samples = 2000;
        double seconds = 3;
        List<Integer> rates = new ArrayList<>(List.of(250, 500, 1000, 1500, 2000, 4000));
        List<Integer> unmetered = List.of(2000, 4000, 8000, 16000, 32000, 64000);
        Path weftCmd = Path.of("bin/weft");
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--rates" -> rates = java.util.Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--unmetered-rates" -> unmetered = java.util.Arrays.stream(args[++i].split(","))
                        .map(Integer::valueOf).toList();
                case "--weft" -> weftCmd = Path.of(args[++i]);
                case "--work-dir" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (work == null) {
            work = Files.createTempDirectory("weft-bench-names-");
        }
        int exit;
        try (TestBed bed = TestBed.start(TopologySpec.named("redgreen"));
             BenchController weft = BenchController.start(weftCmd, work)) {
            exit = run(bed, weft.client(), samples, seconds, rates, unmetered, work);
        }
        System.exit(exit);
    }

    private static int run(TestBed bed, WeftClient api, int samples, double seconds, List<Integer> rates,
                           List<Integer> unmetered, Path work) throws Exception {
        api.addHost(bed.host("h1"));
        api.addHost(bed.host("h2"));
        api.addNetwork("red", "vxlan", "10.65.10.0/24", GATEWAY);
        api.announce(bed.container("c1"), "red");
        api.announce(bed.container("c2"), "red");
        BedContainer c1 = bed.container("c1");
        StringBuilder report = new StringBuilder("## Names (issue 15)\n\n");

        report.append("Query latency for a local name (c2 from c1, one at a time):\n\n| over | queries | lost | p50 ms "
                + "| p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|\n");
        for (LatencyMode mode : List.of(new LatencyMode("latency", "UDP, at most 500/s", samples),
                new LatencyMode("tcp-connection", "TCP, one open connection, at most 250/s", samples),
                new LatencyMode("tcp-new", "TCP, a new connection per query (handshake included), at most 100/s",
                        Math.max(1, samples / 4)))) {
            String row = latencyRow(c1, mode.mode(), mode.what(), mode.queries());
            if (row == null) {
                return 1;
            }
            report.append(row);
        }
        report.append('\n');

        report.append("| offered queries/s | answered/s | answered | meter drops in the step |\n|---|---|---|---|\n");
        long drops = meterDrops(bed);
        for (int rate : rates) {
            Offer o = offer(c1, rate, seconds);
            long now = meterDrops(bed);
            report.append(String.format(Locale.ROOT, "| %.0f | %.0f | %.1f %% | %d |%n", o.offered() / seconds,
                    o.answered() / seconds, 100.0 * o.answered() / Math.max(1, o.offered()), now - drops));
            drops = now;
        }
        if (!unmetered.isEmpty()) {
            bed.host("h1").ofctl("mod-meter", "br-int", "meter=" + NameQueries.METER.id()
                    + ",pktps,burst,band=type=drop,rate=10000000,burst_size=100000").orThrow();
            report.append("\nMeter 1 on h1 raised to 10,000,000 queries/s:\n\n| offered queries/s | answered/s "
                    + "| answered | controller answered/s | controller overloaded in the step |\n|---|---|---|---|---|\n");
            double answeredBefore = namesCount(api, "answered");
            double overloadedBefore = namesCount(api, "overloaded");
            for (int rate : unmetered) {
                Offer o = offer(c1, rate, seconds);
                double answeredNow = namesCount(api, "answered");
                double overloadedNow = namesCount(api, "overloaded");
                report.append(String.format(Locale.ROOT, "| %.0f | %.0f | %.1f %% | %.0f | %.0f |%n",
                        o.offered() / seconds, o.answered() / seconds, 100.0 * o.answered() / Math.max(1, o.offered()),
                        (answeredNow - answeredBefore) / seconds, overloadedNow - overloadedBefore));
                answeredBefore = answeredNow;
                overloadedBefore = overloadedNow;
            }
        }
        report.append("\nThe controller's count (`/metrics`): ");
        api.get("/metrics").body().lines().filter(l -> l.startsWith("weft_names_queries_total"))
                .forEach(l -> report.append('`').append(l).append("` "));
        report.append('\n');
        Files.writeString(work.resolve("results.md"), report);
        System.out.println();
        System.out.println(report);
        return 0;
    }

    /** The client's {@code mode}, what the table calls it, and how many queries it asks. */
    private record LatencyMode(String mode, String what, int queries) {
    }

    /** One row of the latency table: {@code n} round trips of {@code mode} from c1; null when none was answered. */
    private static String latencyRow(BedContainer c1, String mode, String what, int n) {
        ExecResult latency = c1.exec(Duration.ofMinutes(10), "/usr/bin/python3", "-c", CLIENT, mode,
                Integer.toString(n), "0", "0");
        List<Long> rtts = new ArrayList<>();
        int lost = 0;
        for (String line : latency.stdout().split("\n")) {
            if (line.startsWith("rtt_us ")) {
                rtts.add(Long.parseLong(line.substring(7).strip()));
            } else if (line.equals("lost")) {
                lost++;
            }
        }
        if (rtts.isEmpty()) {
            System.err.println("no answers " + mode + ": " + latency);
            return null;
        }
        rtts.sort(null);
        return String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %.2f |%n", what, rtts.size() + lost,
                lost, at(rtts, 0.50), at(rtts, 0.90), at(rtts, 0.99), rtts.get(rtts.size() - 1) / 1000.0);
    }

    /** What the client in c1 sent in one paced step, and how many answers came back. */
    private record Offer(long offered, long answered) {
    }

    private static Offer offer(BedContainer c1, int rate, double seconds) {
        ExecResult offer = c1.exec(Duration.ofMinutes(2), "/usr/bin/python3", "-c", CLIENT, "offer", "0",
                Integer.toString(rate), Double.toString(seconds));
        Matcher m = Pattern.compile("offered (\\d+) answered (\\d+)").matcher(offer.stdout());
        if (!m.find()) {
            throw new IllegalStateException("offer at " + rate + "/s failed: " + offer);
        }
        return new Offer(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    /** {@code weft_names_queries_total{outcome}} as the controller counts it now. */
    private static double namesCount(WeftClient api, String outcome) {
        return api.get("/metrics").body().lines()
                .filter(l -> l.startsWith("weft_names_queries_total{") && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long meterDrops(TestBed bed) {
        String stats = bed.host("h1").ofctl("meter-stats", "br-int").orThrow().stdout();
        Matcher m = BAND.matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static double at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size()))) / 1000.0;
    }
}
