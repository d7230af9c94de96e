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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The restart benchmark of issues 18 and 11, run by {@code northbound-rest/bench.sh --restart}: a real
 * {@code bin/weft controller}, a test bed of real OVS hosts on one LAN, many endpoints, every host in sync; then,
 * several times, the controller is SIGKILLed and started again. Each restart is timed from the exec of
 * {@code bin/weft} to the REST API answering and to every host reported in sync (its switch's table read and equal
 * to the desired flows, its bridge as planned, the last revision applied); the flow-mods the new controller sent are
 * summed from the hosts' status, and every switch's {@code dump-flows} is compared before and after: no flow may be
 * installed again (its duration would start over). Where the start-up time went comes from the controller's own
 * timeline in its log.
 */
public final class RestartBench {

    private static final Pattern STARTED = Pattern.compile("started (\\d+) ms after the process started: (.*)$",
            Pattern.MULTILINE);
    private static final Pattern PART = Pattern.compile("\\s*(.+?) (\\d+) ms");
    private static final Pattern STORE =
            Pattern.compile("read and checked in (\\d+) ms, opened for writing in (\\d+) ms");
    private static final Pattern HOST_SYNC = Pattern.compile("host (\\S+) in sync (\\d+) ms after start: OVSDB read at "
            + "(\\S+) ms, OpenFlow connected at (\\S+) ms, compiled at (\\S+) ms \\((\\d+) flows\\), table read "
            + "(\\S+)-(\\S+) ms \\((\\d+) flows\\), (\\d+) flow-mods");
    private static final Pattern ALL_SYNC = Pattern.compile("all (\\d+) hosts in sync (\\d+) ms after start");
    /** How often the bench asks whether the restarted controller answers, and whether the hosts are in sync. */
    private static final long POLL_MILLIS = 10;

    /**
     * @param boundPerHost endpoints per host bound to a real port (the others name a port that does not exist: OVS
     *                     reports it failed, and Weft still keeps their flows ready on every host)
     * @param compareWeft  another build's {@code bin/weft} (e.g. a checkout of an older commit, built): restarts
     *                     alternate between it and this one on the same bed and data, each reported apart
     * @param jfrDir       where each restarted controller's JFR recording is dumped once every host is in sync, when
     *                     the controller records (WEFT_JAVA_OPTS with -XX:StartFlightRecording)
     */
    record Params(int hosts, int endpoints, int boundPerHost, int networks, int restarts, String portType,
                  Path workDir, Path weft, Optional<Path> compareWeft, Optional<Path> jfrDir) {

        static Params parse(String[] args) {
            Map<String, String> a = BenchParams.options(args, Set.of("hosts", "endpoints", "bound-per-host",
                    "networks", "restarts", "port-type", "work-dir", "weft", "compare-weft", "jfr-dir"));
            return new Params(
                    Integer.parseInt(a.getOrDefault("hosts", "10")),
                    Integer.parseInt(a.getOrDefault("endpoints", "10000")),
                    Integer.parseInt(a.getOrDefault("bound-per-host", "100")),
                    Integer.parseInt(a.getOrDefault("networks", "1")),
                    Integer.parseInt(a.getOrDefault("restarts", "5")),
                    a.getOrDefault("port-type", "internal"),
                    BenchParams.workDir(a),
                    BenchParams.weft(a),
                    Optional.ofNullable(a.get("compare-weft")).map(w -> Path.of(w).toAbsolutePath().normalize()),
                    Optional.ofNullable(a.get("jfr-dir")).map(Path::of));
        }
    }

    /** One restart: what the bench saw, and the controller's own timeline (ms since the process started). */
    record Sample(double restMillis, double syncMillis, long flowMods, int reinstalled, int changedFlows,
                  double controllerCpu, double switchesCpu, Map<String, Double> timeline,
                  Map<String, Double> threadsCpu) {
    }

    private final Params p;
    private final BenchController weft;
    private final WeftClient client;
    private final List<BedHost> hosts;
    private final StringBuilder report = new StringBuilder();
    private boolean failed;

    private RestartBench(Params p, TestBed bed, BenchController weft) {
        this.p = p;
        this.weft = weft;
        this.client = weft.client();
        this.hosts = bed.hosts();
    }

    public static void main(String[] args) throws Exception {
        Params p = Params.parse(args);
        ControllerBench.log("parameters: %s", p);
        long t0 = System.nanoTime();
        int exit;
        try (TestBed bed = TestBed.start(TopologySpec.named("onelan,hosts=" + p.hosts() + ",containers=0"));
             BenchController weft = BenchController.start(p.weft(), p.workDir())) {
            ControllerBench.log("test bed %s up, controller pid %d at %s", bed.runDir(), weft.pid(),
                    weft.client().root());
            RestartBench bench = new RestartBench(p, bed, weft);
            bench.run();
            Files.writeString(p.workDir().resolve("results.md"), bench.report);
            System.out.println();
            System.out.println(bench.report);
            exit = bench.failed ? 1 : 0;
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            exit = 2;
        }
        ControllerBench.log("done in %.0f s (bed closed, controller stopped)", (System.nanoTime() - t0) / 1e9);
        System.exit(exit);
    }

    private void run() throws Exception {
        setUp();
        long revision = client.revision();
        Map<String, Map<String, Double>> before = new HashMap<>();
        int flows = 0;
        for (BedHost h : hosts) {
            before.put(h.name(), h.flowAges("br-int"));
            flows += before.get(h.name()).size();
        }
        JsonNode statuses = client.expect(200, "GET", "/api/v1/hosts", null);
        for (JsonNode s : statuses) {
            int dumped = before.get(s.path("name").asText()).size();
            int desired = s.path("status").path("flowsDesired").asInt();
            if (dumped != desired) {
                throw new IllegalStateException("host " + s.path("name").asText() + " holds " + dumped
                        + " flows but Weft wants " + desired);
            }
        }
        line("Restart benchmark: %d hosts on one LAN, %d network(s), %d endpoints (%d per host bound to %s ports, "
                        + "the others on ports that do not exist), %d flows on the switches (about %d per host), "
                        + "revision %d", p.hosts(), p.networks(), p.endpoints(), p.boundPerHost(), p.portType(), flows,
                flows / p.hosts(), revision);
        line("Load average of this machine (1, 5, 15 min) before the restarts: %s", CpuProbe.loadAverage());
        // With a build to compare, restarts alternate between the two (in turn first), on the same bed and data.
        Map<String, Path> builds = new LinkedHashMap<>();
        builds.put("this build", p.weft());
        p.compareWeft().ifPresent(w -> builds.put("compared: " + w, w));
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        builds.keySet().forEach(b -> samples.put(b, new ArrayList<>()));
        List<String> order = new ArrayList<>(builds.keySet());
        for (int r = 1; r <= p.restarts(); r++) {
            for (String build : order) {
                Sample s = restart(builds.get(build), revision, before);
                samples.get(build).add(s);
                if (s.flowMods() > 0 || s.reinstalled() != 0 || s.changedFlows() != 0 || s.syncMillis() < 0) {
                    failed = true;
                }
            }
            Collections.reverse(order);
        }
        samples.forEach(this::report);
        line("");
        line("Load average after the restarts: %s", CpuProbe.loadAverage());
        line("");
        line(failed ? "RESULT: FAILED (flow-mods were sent, flows were installed again, or a host never came in sync)"
                : "RESULT: every restart brought every host in sync with 0 flow-mods and no flow installed again");
    }

    /** The restarts of one build: each one, the spread, where the start-up went, and the CPU by thread. */
    private void report(String build, List<Sample> samples) {
        line("");
        line("### %s", build);
        line("");
        line("| restart | REST answers (ms) | every host in sync (ms) | flow-mods sent | flows installed again | "
                + "flows changed | controller CPU until in sync (s) | switches' CPU meanwhile (s) |");
        line("|---|---|---|---|---|---|---|---|");
        for (int r = 0; r < samples.size(); r++) {
            Sample s = samples.get(r);
            line("| %d | %.0f | %.0f | %s | %d | %d | %.2f | %.2f |", r + 1, s.restMillis(), s.syncMillis(),
                    s.flowMods() < 0 ? "not reported" : Long.toString(s.flowMods()), s.reinstalled(), s.changedFlows(),
                    s.controllerCpu(), s.switchesCpu());
        }
        line("| p50 | %.0f | %.0f | | | | %.2f | %.2f |", p50(samples, Sample::restMillis),
                p50(samples, Sample::syncMillis), p50(samples, Sample::controllerCpu),
                p50(samples, Sample::switchesCpu));
        line("| max | %.0f | %.0f | | | | %.2f | %.2f |", max(samples, Sample::restMillis),
                max(samples, Sample::syncMillis), max(samples, Sample::controllerCpu),
                max(samples, Sample::switchesCpu));
        Map<String, List<Double>> parts = new LinkedHashMap<>();
        samples.forEach(s -> s.timeline().forEach((k, v) -> parts.computeIfAbsent(k, x -> new ArrayList<>()).add(v)));
        if (!parts.isEmpty()) {
            line("");
            line("Where the start-up went, from the controller's log (ms; parts are durations, \"at\" are times since "
                    + "the process started; per-host times are the last host's):");
            line("");
            line("| part | p50 | max |");
            line("|---|---|---|");
            parts.forEach((k, v) -> {
                Stats st = Stats.of(v);
                line("| %s | %.0f | %.0f |", k, st.p50(), st.max());
            });
        }
        line("");
        line("The controller's CPU until every host was in sync, by thread (s, p50 over the restarts):");
        line("");
        line("| threads | CPU s |");
        line("|---|---|");
        Map<String, List<Double>> threads = new LinkedHashMap<>();
        samples.forEach(s -> s.threadsCpu().forEach((k, v) -> threads.computeIfAbsent(k, x -> new ArrayList<>())
                .add(v)));
        threads.entrySet().stream().map(e -> Map.entry(e.getKey(), Stats.of(e.getValue()).p50()))
                .filter(e -> e.getValue() >= 0.01)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                .forEach(e -> line("| %s | %.2f |", e.getKey(), e.getValue()));
    }

    // ---- set-up: hosts, networks, ports, endpoints, all in sync

    private void setUp() throws Exception {
        for (BedHost h : hosts) {
            client.addHost(h);
        }
        awaitAllInSync(client.revision(), 120_000);
        List<String> networks = new ArrayList<>();
        for (int n = 0; n < p.networks(); n++) {
            String name = "restart" + n;
            client.addNetwork(name, "vxlan", "10." + (100 + n) + ".0.0/16", "10." + (100 + n) + ".255.254");
            networks.add(name);
        }
        PortPool.createOnAll(hosts, p.boundPerHost(), p.portType());
        long t = System.nanoTime();
        List<BenchApi.Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < p.endpoints(); i++) {
            int hi = i % p.hosts();
            int k = i / p.hosts();
            endpoints.add(new BenchApi.Endpoint(networks.get(i % networks.size()), "e" + i, hosts.get(hi).name(),
                    k < p.boundPerHost() ? PortPool.portName(hi, k) : "u" + hi + "x" + k));
        }
        new BenchApi(client).announceAll(endpoints);
        double committed = (System.nanoTime() - t) / 1e9;
        double synced = awaitAllInSync(client.revision(), 600_000);
        if (synced < 0) {
            throw new IllegalStateException("the hosts did not come in sync after the endpoints were announced");
        }
        ControllerBench.log("%d endpoints committed in %.1f s, every host in sync %.1f s later", p.endpoints(),
                committed, synced / 1000);
    }

    /**
     * Polls the hosts' status until every host is in sync through {@code revision}.
     *
     * @return milliseconds it took, or -1 after {@code timeoutMillis}
     */
    private double awaitAllInSync(long revision, long timeoutMillis) throws InterruptedException {
        long t = System.nanoTime();
        while (System.nanoTime() - t < timeoutMillis * 1_000_000) {
            if (allInSync(revision) != null) {
                return (System.nanoTime() - t) / 1e6;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return -1;
    }

    /** The hosts' status if every host is in sync through {@code revision}, else null. */
    private JsonNode allInSync(long revision) {
        JsonNode all;
        try {
            all = client.expect(200, "GET", "/api/v1/hosts", null);
        } catch (RuntimeException | AssertionError notAnswering) {
            return null;
        }
        if (all.size() != hosts.size()) {
            return null;
        }
        for (JsonNode h : all) {
            JsonNode s = h.path("status");
            if (!s.path("inSync").asBoolean() || s.path("appliedRevision").asLong() < revision) {
                return null;
            }
        }
        return all;
    }

    // ---- one restart

    private Sample restart(Path build, long revision, Map<String, Map<String, Double>> before) throws Exception {
        weft.kill9();
        CpuProbe switches = new CpuProbe().group("switches", hosts.stream()
                .flatMap(h -> Stream.of(h.vswitchdPid(), h.ovsdbPid())).toList());
        double switchesBefore = switches.sample().get("switches");
        long t0 = System.nanoTime();
        weft.relaunch(build);
        double restMillis = -1;
        double syncMillis = -1;
        JsonNode statuses = null;
        long deadline = t0 + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (restMillis < 0 && client.healthy()) {
                restMillis = (System.nanoTime() - t0) / 1e6;
            }
            if (restMillis >= 0) {
                statuses = allInSync(revision);
                if (statuses != null) {
                    syncMillis = (System.nanoTime() - t0) / 1e6;
                    break;
                }
                Thread.sleep(POLL_MILLIS);
            } else {
                Thread.sleep(2);
            }
        }
        double controllerCpu = new CpuProbe().group("controller", List.of(weft.pid())).sample().get("controller");
        Map<String, Double> threadsCpu = CpuProbe.byThread(weft.pid());
        double switchesCpu = switches.sample().get("switches") - switchesBefore;
        long flowMods = 0;
        if (statuses != null) {
            for (JsonNode h : statuses) {
                // A build from before the count was reported: unknown (the flows' ages still tell).
                flowMods = h.path("status").has("flowModsSent") && flowMods >= 0
                        ? flowMods + h.path("status").path("flowModsSent").asLong() : -1;
            }
        } else {
            ControllerBench.log("restart: NOT every host in sync after 120 s; see %s", weft.log());
        }
        int reinstalled = 0;
        int changed = 0;
        for (BedHost h : hosts) {
            Map<String, Double> was = before.get(h.name());
            Map<String, Double> now = h.flowAges("br-int");
            for (Map.Entry<String, Double> f : now.entrySet()) {
                Double age = was.get(f.getKey());
                if (age == null) {
                    changed++;
                } else if (f.getValue() < age) {
                    reinstalled++;
                }
            }
            changed += (int) was.keySet().stream().filter(k -> !now.containsKey(k)).count();
        }
        Map<String, Double> timeline = timeline(awaitLogged());
        if (p.jfrDir().isPresent()) {
            dumpRecording(p.jfrDir().get().resolve("restart-" + weft.starts() + ".jfr"));
        }
        ControllerBench.log("restart (%s): REST %.0f ms, in sync %.0f ms, %d flow-mods, %d flows installed again; %s",
                build, restMillis, syncMillis, flowMods, reinstalled, timeline);
        return new Sample(restMillis, syncMillis, flowMods, reinstalled, changed, controllerCpu, switchesCpu, timeline,
                threadsCpu);
    }

    /** Dumps the running controller's flight recording to {@code file} (jcmd JFR.dump). */
    private void dumpRecording(Path file) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(weft.pid()), "JFR.dump",
                "filename=" + file.toAbsolutePath()).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0 || !Files.exists(file)) {
            ControllerBench.log("JFR.dump failed: %s", out.trim());
        } else {
            ControllerBench.log("recording of this run: %s", file);
        }
    }

    /** The restarted controller's log, once it logged that every host is in sync (or after 10 s). */
    private String awaitLogged() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String log = Files.readString(weft.log());
        while (!ALL_SYNC.matcher(log).find() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            log = Files.readString(weft.log());
        }
        return log;
    }

    /** The controller's start-up timeline from its log: parts (durations), then per-host marks (the last host's). */
    static Map<String, Double> timeline(String log) {
        Map<String, Double> t = new LinkedHashMap<>();
        Matcher started = STARTED.matcher(log);
        if (started.find()) {
            for (String part : started.group(2).split(",")) {
                Matcher m = PART.matcher(part);
                if (m.lookingAt()) {
                    t.put(m.group(1), Double.parseDouble(m.group(2)));
                }
            }
            t.put("= REST answers, at", Double.parseDouble(started.group(1)));
        }
        Matcher store = STORE.matcher(log);
        if (store.find()) {
            t.put("store: read and checked", Double.parseDouble(store.group(1)));
            t.put("store: opened for writing", Double.parseDouble(store.group(2)));
        }
        Matcher host = HOST_SYNC.matcher(log);
        String[] marks = {"OVSDB cache read, at", "OpenFlow connected, at", "flows compiled, at", "table read sent, at",
            "table read done, at"};
        int[] groups = {3, 4, 5, 7, 8};
        while (host.find()) {
            for (int i = 0; i < marks.length; i++) {
                String v = host.group(groups[i]);
                if (!v.equals("?")) {
                    t.merge("last host: " + marks[i], Double.parseDouble(v), Math::max);
                }
            }
            if (!host.group(7).equals("?") && !host.group(8).equals("?")) {
                t.merge("table read, longest", Double.parseDouble(host.group(8)) - Double.parseDouble(host.group(7)),
                        Math::max);
            }
        }
        Matcher all = ALL_SYNC.matcher(log);
        if (all.find()) {
            t.put("= every host in sync, at", Double.parseDouble(all.group(2)));
        }
        return t;
    }

    private static double p50(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return Stats.of(samples.stream().map(s -> f.applyAsDouble(s)).toList()).p50();
    }

    private static double max(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return Stats.of(samples.stream().map(s -> f.applyAsDouble(s)).toList()).max();
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
