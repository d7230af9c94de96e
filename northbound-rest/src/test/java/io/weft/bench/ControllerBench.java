package io.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedHost;
import io.weft.testbed.TestBed;
import io.weft.testbed.TopologySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The controller benchmark of issue 5, run by {@code northbound-rest/bench.sh}: a real {@code bin/weft controller}
 * and a test bed of real OVS hosts on one LAN. Measures announce-to-acknowledged latency with many existing
 * endpoints, sustained add/delete churn with a stale-flow audit at the end, and controller heap per endpoint.
 */
public final class ControllerBench {

    private static final Pattern FLOWS_LOG = Pattern.compile(
            "host (\\S+): (\\d+) flows added, (\\d+) modified, (\\d+) removed in ([\\d.]+) ms");

    private final BenchParams p;
    private final TestBed bed;
    private final BenchController weft;
    private final WeftClient client;
    private final BenchApi api;
    private final List<BedHost> hosts;
    private final List<String> networks = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private boolean failed;

    private ControllerBench(BenchParams p, TestBed bed, BenchController weft) {
        this.p = p;
        this.bed = bed;
        this.weft = weft;
        this.client = weft.client();
        this.api = new BenchApi(client);
        this.hosts = bed.hosts();
    }

    public static void main(String[] args) throws Exception {
        BenchParams p = BenchParams.parse(args);
        log("parameters: %s", p);
        long t0 = System.nanoTime();
        int exit;
        try {
            exit = runAll(p);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            exit = 2;
        }
        log("done in %.0f s (bed closed, controller stopped)", (System.nanoTime() - t0) / 1e9);
        System.exit(exit);
    }

    private static int runAll(BenchParams p) throws Exception {
        try (TestBed bed = TestBed.start(TopologySpec.named("onelan,hosts=" + p.hosts() + ",containers=0"));
             BenchController weft = BenchController.start(p.weft(), p.workDir())) {
            log("test bed %s up, controller pid %d at %s (log %s)", bed.runDir(), weft.pid(), weft.client().root(), weft.log());
            ControllerBench bench = new ControllerBench(p, bed, weft);
            bench.run();
            Files.writeString(p.workDir().resolve("results.md"), bench.report);
            System.out.println();
            System.out.println(bench.report);
            return bench.failed ? 1 : 0;
        }
    }

    private void run() throws Exception {
        setUp();
        long heapNoPorts = HeapProbe.usedAfterGcBytes(weft.pid());
        // The ports exist before their endpoints (as a container's veth does); Weft mirrors their OVSDB rows.
        PortPool.createOnAll(hosts, portsPerHost(), p.portType());
        long heapEmpty = HeapProbe.usedAfterGcBytes(weft.pid());
        loadExisting();
        long heapLoaded = HeapProbe.usedAfterGcBytes(weft.pid());
        int flowsPerHost = flowCount(hosts.get(0).name());
        line("Controller benchmark: %d hosts on one LAN, %d network(s), %d existing endpoints, %d desired flows on %s",
                p.hosts(), p.networks(), p.existing(), flowsPerHost, hosts.get(0).name());
        line("");
        line(Stats.header());
        latency();
        Churn.Result churn = churn();
        long heapAfter = HeapProbe.usedAfterGcBytes(weft.pid());
        int liveAfter = client.expect(200, "GET", "/api/v1/health", null).path("endpoints").asInt();
        line("");
        line("| heap used after full GC | MB |");
        line("|---|---|");
        line("| hosts + networks, no ports | %.1f |", heapNoPorts / 1048576.0);
        line("| %d ports on br-int (all hosts), 0 endpoints | %.1f |", portsPerHost() * p.hosts(),
                heapEmpty / 1048576.0);
        line("| %d endpoints | %.1f |", p.existing(), heapLoaded / 1048576.0);
        line("| %d endpoints (after churn) | %.1f |", liveAfter, heapAfter / 1048576.0);
        if (p.existing() > 0) {
            line("| per endpoint (0 -> %d) | %.1f KB |", p.existing(),
                    (heapLoaded - heapEmpty) / 1024.0 / p.existing());
            line("| per endpoint with its port's OVSDB rows (no ports -> %d endpoints; %d spare ports counted too) "
                    + "| %.1f KB |", p.existing(), (portsPerHost() * p.hosts()) - p.existing(),
                    (heapLoaded - heapNoPorts) / 1024.0 / p.existing());
        }
        audit(churn);
    }

    // ---- set-up: hosts, networks, pre-created ports

    private void setUp() throws Exception {
        for (BedHost h : hosts) {
            client.addHost(h);
        }
        awaitHostsConnected();
        for (int n = 0; n < p.networks(); n++) {
            String name = "bench" + n;
            client.addNetwork(name, "vxlan", "10." + (100 + n) + ".0.0/16", "10." + (100 + n) + ".255.254");
            networks.add(name);
        }
    }

    private void awaitHostsConnected() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (BedHost h : hosts) {
            while (true) {
                JsonNode s = client.host(h.name()).path("status");
                if (s.path("ovsdbConnected").asBoolean() && s.path("openflowConnected").asBoolean()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("host " + h.name() + " not connected after 60 s: " + s);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Existing endpoints, then the latency probe's port, then the churn slots. */
    private int portsPerHost() {
        return existingPerHost() + 1 + churnSlotsPerHost();
    }

    private int existingPerHost() {
        return (p.existing() + p.hosts() - 1) / p.hosts();
    }

    private int churnSlotsPerHost() {
        return (p.churnSlots() + p.hosts() - 1) / p.hosts();
    }

    // ---- 2,000 existing endpoints

    private void loadExisting() throws Exception {
        long t = System.nanoTime();
        List<BenchApi.Endpoint> existing = new ArrayList<>();
        for (int i = 0; i < p.existing(); i++) {
            int hi = i % p.hosts();
            existing.add(new BenchApi.Endpoint(networks.get(i % networks.size()), "e" + i, hosts.get(hi).name(),
                    PortPool.portName(hi, i / p.hosts())));
        }
        api.announceAll(existing);
        double committed = (System.nanoTime() - t) / 1e9;
        double converged = awaitConverged(180) / 1000.0;
        log("%d existing endpoints committed in %.1f s (%.0f/s), all hosts converged %.1f s later", p.existing(),
                committed, p.existing() / committed, converged);
    }

    // ---- announce latency

    private void latency() throws Exception {
        long logFrom = Files.size(weft.log());
        List<Double> addClient = new ArrayList<>();
        List<Double> installed = new ArrayList<>();
        List<Double> delClient = new ArrayList<>();
        List<Double> delInstalled = new ArrayList<>();
        int notAcked = 0;
        for (int i = -p.warmup(); i < p.samples(); i++) {
            int k = Math.floorMod(i, p.hosts());
            String host = hosts.get(k).name();
            String port = PortPool.portName(k, existingPerHost());
            String network = networks.get(Math.floorMod(i, networks.size()));
            String name = "lat" + (i + p.warmup());
            BenchApi.Reply add = api.announce(network, name, host, port, true);
            BenchApi.Reply del = api.remove(network, name, true);
            boolean acked = add.status() == 201 && add.body().has("installedInMs")
                    && add.body().path("binding").asText().equals("bound");
            if (i < 0) {
                continue;
            }
            if (!acked || del.status() != 200) {
                notAcked++;
                if (notAcked <= 3) {
                    log("sample %d not acknowledged: %d %s / %d %s", i, add.status(), add.text(), del.status(),
                            del.text());
                }
                continue;
            }
            addClient.add(add.millis());
            installed.add(add.body().path("installedInMs").asDouble());
            delClient.add(del.millis());
            delInstalled.add(del.body().path("installedInMs").asDouble());
        }
        line(Stats.of(addClient).row("announce ?wait=true, client wall time"));
        line(Stats.of(installed).row("announce ?wait=true, reply's installedInMs"));
        line(Stats.of(delClient).row("delete ?wait=true, client wall time"));
        line(Stats.of(delInstalled).row("delete ?wait=true, reply's installedInMs"));
        if (notAcked > 0) {
            line("| %d of %d samples NOT acknowledged (left out above) | | | | | | |", notAcked, p.samples());
            failed = true;
        }
        flowPassesFromLog(logFrom);
    }

    /** The controller's own "N flows added ... in X ms" lines of the latency phase: the OpenFlow share of the time. */
    private void flowPassesFromLog(long from) throws IOException {
        String text = Files.readString(weft.log());
        text = text.substring((int) Math.min(from, text.length()));
        List<Double> ms = new ArrayList<>();
        Matcher m = FLOWS_LOG.matcher(text);
        while (m.find()) {
            ms.add(Double.parseDouble(m.group(5)));
        }
        line(Stats.of(ms).row("  of which: per-host flow install (weft log)"));
    }

    // ---- churn

    private Churn.Result churn() throws Exception {
        List<Churn.Slot> slots = new ArrayList<>();
        for (int i = 0; i < p.churnSlots(); i++) {
            int k = i % p.hosts();
            slots.add(new Churn.Slot(networks.get(i % networks.size()), hosts.get(k).name(),
                    PortPool.portName(k, existingPerHost() + 1 + i / p.hosts())));
        }
        log("churn: %d threads, %d slots, target %.0f ops/s for %.0f s", p.churnThreads(), slots.size(),
                p.churnRate(), p.churnSeconds());
        CpuProbe cpu = new CpuProbe().group("controller", List.of(weft.pid()))
                .group("ovs-vswitchd (all hosts)", hosts.stream().map(BedHost::vswitchdPid).toList())
                .group("ovsdb-server (all hosts)", hosts.stream().map(BedHost::ovsdbPid).toList())
                .group("bench client", List.of(ProcessHandle.current().pid()));
        double jitBefore = CpuProbe.jitSeconds(weft.pid());
        Map<String, Double> cpuBefore = cpu.sample();
        Churn.Result r = Churn.run(api, slots, p.churnThreads(), p.churnRate(), p.churnSeconds());
        Map<String, Double> cpuAfter = cpu.sample();
        double jit = CpuProbe.jitSeconds(weft.pid()) - jitBefore;
        double convergeMs = awaitConverged(180);
        line(Stats.of(r.addMillis()).row("churn announce (no wait), client wall time"));
        line(Stats.of(r.deleteMillis()).row("churn delete (no wait), client wall time"));
        line("");
        line("| churn | value |");
        line("|---|---|");
        line("| target | %.0f ops/s for %.0f s, %d threads, %d slots |", p.churnRate(), p.churnSeconds(),
                p.churnThreads(), p.churnSlots());
        line("| achieved | %.0f ops/s (%d adds + %d deletes in %.1f s) |", (r.adds() + r.deletes()) / r.seconds(),
                r.adds(), r.deletes(), r.seconds());
        line("| errors | %d %s |", r.errorCount(), r.errors().isEmpty() ? "" : r.errors().toString());
        line("| every host applied the last revision, after the load stopped | %.0f ms |", convergeMs);
        line("");
        long ops = r.adds() + r.deletes();
        line("| CPU during churn (%d cores) | CPU s | cores busy | CPU ms per operation |",
                Runtime.getRuntime().availableProcessors());
        line("|---|---|---|---|");
        cpuBefore.forEach((group, before) -> {
            double used = cpuAfter.get(group) - before;
            line("| %s | %.1f | %.2f | %.2f |", group, used, used / r.seconds(), ops == 0 ? 0 : 1000 * used / ops);
            if (group.equals("controller")) {
                // A controller started for the bench still compiles its hot paths during the churn: a cost of
                // its start, not of each operation, shown apart.
                line("|   of which: the JVM's JIT compiler threads | %.1f | %.2f | %.2f |", jit, jit / r.seconds(),
                        ops == 0 ? 0 : 1000 * jit / ops);
                line("|   controller without JIT compilation | %.1f | %.2f | %.2f |", used - jit,
                        (used - jit) / r.seconds(), ops == 0 ? 0 : 1000 * (used - jit) / ops);
            }
        });
        if (convergeMs < 0 || r.errorCount() > 0) {
            failed = true;
        }
        return r;
    }

    /**
     * Waits until every host applied the current revision (a cheap GET per host, polled every 20 ms), then checks that
     * the controller's view of each host's flows is in sync (an expensive GET, so only then), starting over if not.
     * @return milliseconds until every host reported the revision and was in sync, or -1 after {@code seconds}
     */
    private double awaitConverged(int seconds) throws Exception {
        long t = System.nanoTime();
        long revision = client.revision();
        while (System.nanoTime() - t < seconds * 1_000_000_000L) {
            boolean applied = true;
            for (BedHost h : hosts) {
                if (client.host(h.name()).path("status").path("appliedRevision").asLong() < revision) {
                    applied = false;
                    break;
                }
            }
            if (applied) {
                double ms = (System.nanoTime() - t) / 1e6;
                boolean inSync = true;
                for (BedHost h : hosts) {
                    inSync &= client.flowsText(h.name()).startsWith("# host " + h.name() + ": in sync");
                }
                if (inSync) {
                    return ms;
                }
            }
            Thread.sleep(20);
        }
        log("NOT converged after %d s (revision %d)", seconds, revision);
        return -1;
    }

    private int flowCount(String host) throws Exception {
        return FlowText.desired(client.flowsText(host)).values().stream().mapToInt(Integer::intValue).sum();
    }

    // ---- stale-flow audit

    private void audit(Churn.Result churn) throws Exception {
        Map<String, String> liveMacHost = new HashMap<>();
        for (String n : networks) {
            for (JsonNode e : client.expect(200, "GET", "/api/v1/networks/" + n + "/endpoints", null)) {
                liveMacHost.put(e.path("mac").asText(), e.path("host").asText());
            }
        }
        Set<String> goneMacs = new HashSet<>(churn.deletedMacs());
        goneMacs.removeAll(liveMacHost.keySet());
        line("");
        line("| host | desired flows | dumped flows | missing on switch | extra on switch | deleted MACs seen | "
                + "live local MACs absent |");
        line("|---|---|---|---|---|---|---|");
        for (BedHost h : hosts) {
            Map<String, Integer> desired = FlowText.desired(client.flowsText(h.name()));
            String dump = h.ofctl("dump-flows", "br-int").orThrow().stdout();
            Map<String, Integer> dumped = FlowText.dumped(dump);
            List<String> missing = diff(desired, dumped);
            List<String> extra = diff(dumped, desired);
            long staleMacs = goneMacs.stream().filter(dump::contains).count();
            long absent = liveMacHost.entrySet().stream()
                    .filter(e -> e.getValue().equals(h.name()) && !dump.contains(e.getKey())).count();
            line("| %s | %d | %d | %d | %d | %d | %d |", h.name(), sum(desired), sum(dumped), missing.size(),
                    extra.size(), staleMacs, absent);
            if (!missing.isEmpty() || !extra.isEmpty() || staleMacs > 0 || absent > 0) {
                failed = true;
                missing.stream().limit(3).forEach(f -> log("%s missing: %s", h.name(), f));
                extra.stream().limit(3).forEach(f -> log("%s extra: %s", h.name(), f));
            }
        }
        line("(%d live endpoints; %d MACs deleted during churn and not reused; groups not compared)",
                liveMacHost.size(), goneMacs.size());
        line(failed ? "RESULT: FAILED (see above)" : "RESULT: dumped flows equal desired flows on every host");
    }

    private static List<String> diff(Map<String, Integer> a, Map<String, Integer> b) {
        List<String> out = new ArrayList<>();
        a.forEach((flow, n) -> {
            if (b.getOrDefault(flow, 0) < n) {
                out.add(flow);
            }
        });
        return out;
    }

    private static int sum(Map<String, Integer> m) {
        return m.values().stream().mapToInt(Integer::intValue).sum();
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %tT] " + format + "%n", prepend(System.currentTimeMillis(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
