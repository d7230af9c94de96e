package io.weft.ovsdb.bench;

import io.weft.model.DatapathType;
import io.weft.model.Encapsulation;
import io.weft.model.Ipv4Address;
import io.weft.model.TunnelPort;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import io.weft.ovsdb.OvsdbHost;
import io.weft.ovsdb.OvsdbTransport;
import io.weft.ovsdb.ProvisionResult;
import io.weft.testbed.OvsSandbox;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Full-mesh provisioning of N hosts (N-1 peers x {VXLAN, GRE} ports each): Weft's one transaction per host versus
 * one {@code ovs-vsctl} transaction per host adding the same rows, side by side on the same OVS instances, in
 * alternating order. Both are timed until {@code cur_cfg} is applied on every host (ovs-vsctl waits for it by
 * default; Weft's apply() completes when its cache sees it). Weft's connections are set up before timing,
 * as a running controller's are; ovs-vsctl pays for its process start and connection on every run.
 *
 * <pre>mvn -q -pl ovsdb test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.weft.ovsdb.bench.MeshBench -Dexec.args="20 3"</pre>
 */
public final class MeshBench {

    private MeshBench() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<OvsSandbox> ovs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(hosts);
        OvsdbTransport transport = OvsdbTransport.create(2);
        List<OvsdbHost> weft = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 1; i <= hosts; i++) {
                ovs.add(OvsSandbox.start(OvsSandbox.Options.defaults().in(OvsSandbox.Placement.OVSDB_IN_ROOT)
                        .withSystemId("h" + i)));
            }
            System.out.printf("started %d ovsdb-server + ovs-vswitchd pairs in %.1f s%n", hosts, secs(t0));
            for (OvsSandbox o : ovs) {
                weft.add(OvsdbHost.active(o.options().systemId(), o.ovsdbTarget(), transport));
            }
            waitUntil(() -> weft.stream().allMatch(OvsdbHost::isConnected), "Weft connected to every host");
            System.out.printf("%d hosts, %d tunnel ports per host (%d per encapsulation in the mesh)%n", hosts,
                    2 * (hosts - 1), hosts * (hosts - 1));
            List<Double> vsctlTimes = new ArrayList<>();
            List<Double> weftTimes = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                boolean vsctlFirst = round % 2 == 1;
                for (int step = 0; step < 2; step++) {
                    boolean vsctlNow = (step == 0) == vsctlFirst;
                    double s = vsctlNow ? runVsctl(ovs, pool) : runWeft(ovs, weft);
                    verify(ovs, hosts);
                    (vsctlNow ? vsctlTimes : weftTimes).add(s);
                    System.out.printf("round %d: %-9s %.3f s%n", round, vsctlNow ? "ovs-vsctl" : "weft", s);
                    removeBridges(ovs, pool, weft);
                }
            }
            double v = median(vsctlTimes);
            double w = median(weftTimes);
            System.out.printf("RESULT hosts=%d ports/host=%d  ovs-vsctl median %.3f s  weft median %.3f s  "
                    + "weft/ovs-vsctl = %.2f%n", hosts, 2 * (hosts - 1), v, w, w / v);
        } finally {
            weft.forEach(OvsdbHost::close);
            transport.close();
            pool.shutdownNow();
            ovs.forEach(OvsSandbox::close);
        }
    }

    static List<DesiredPort> meshPorts(int self, int hosts) {
        List<DesiredPort> ports = new ArrayList<>();
        for (int peer = 1; peer <= hosts; peer++) {
            if (peer != self) {
                for (Encapsulation e : Encapsulation.values()) {
                    ports.add(new TunnelPort("h" + peer, e, ip(self), ip(peer)).toDesiredPort());
                }
            }
        }
        return ports;
    }

    private static Ipv4Address ip(int host) {
        return Ipv4Address.parse("10.250.0." + host); // inside the hosts' own namespaces; no traffic is sent
    }

    private static String controller(OvsSandbox o) {
        return "punix:" + o.dir().resolve("br-int.of");
    }

    private static double runWeft(List<OvsSandbox> ovs, List<OvsdbHost> weft) throws Exception {
        long t0 = System.nanoTime();
        List<CompletableFuture<ProvisionResult>> all = new ArrayList<>();
        for (int i = 0; i < ovs.size(); i++) {
            all.add(weft.get(i).apply(new DesiredBridge("br-int", DatapathType.NETDEV,
                    List.of(controller(ovs.get(i))), meshPorts(i + 1, ovs.size()))));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        double s = secs(t0);
        for (CompletableFuture<ProvisionResult> f : all) {
            if (f.get().transactions() != 1) {
                throw new IllegalStateException("expected one transaction per host, got " + f.get());
            }
        }
        return s;
    }

    /** One ovs-vsctl per host, all hosts in parallel, each one transaction with every row; waits for cur_cfg. */
    private static double runVsctl(List<OvsSandbox> ovs, ExecutorService pool) throws Exception {
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < ovs.size(); i++) {
            OvsSandbox o = ovs.get(i);
            List<String> argv = new ArrayList<>(List.of("ovs-vsctl", "--timeout=300", "--db=" + o.ovsdbTarget(),
                    "--", "add-br", "br-int",
                    "--", "set", "Bridge", "br-int", "datapath_type=netdev", "fail_mode=secure",
                    "protocols=OpenFlow13,OpenFlow14", "other_config:disable-in-band=true",
                    "external_ids:weft-owner=weft",
                    "--", "set-controller", "br-int", controller(o)));
            for (DesiredPort p : meshPorts(i + 1, ovs.size())) {
                argv.addAll(List.of("--", "add-port", "br-int", p.name()));
                List<String> set = new ArrayList<>(List.of("--", "set", "Interface", p.name(), "type=" + p.type()));
                p.options().forEach((k, v) -> set.add("options:" + k + "=" + v));
                p.externalIds().forEach((k, v) -> set.add("external_ids:" + k + "=" + v));
                argv.addAll(set);
                List<String> port = new ArrayList<>(List.of("--", "set", "Port", p.name()));
                p.externalIds().forEach((k, v) -> port.add("external_ids:" + k + "=" + v));
                argv.addAll(port);
            }
            commands.add(argv);
        }
        long t0 = System.nanoTime();
        List<Future<String>> runs = new ArrayList<>();
        for (int i = 0; i < ovs.size(); i++) {
            OvsSandbox o = ovs.get(i);
            List<String> argv = commands.get(i);
            runs.add(pool.submit(() -> o.run(argv.toArray(String[]::new))));
        }
        for (Future<String> r : runs) {
            r.get(300, TimeUnit.SECONDS);
        }
        return secs(t0);
    }

    private static void verify(List<OvsSandbox> ovs, int hosts) throws IOException {
        for (OvsSandbox o : ovs) {
            String[] ports = o.vsctl("list-ports", "br-int").strip().split("\n");
            long tunnels = Arrays.stream(ports).filter(p -> p.startsWith("vxlan-") || p.startsWith("gre-")).count();
            if (tunnels != 2L * (hosts - 1)) {
                throw new IllegalStateException(o.options().systemId() + " has " + tunnels + " tunnel ports");
            }
            long attached = Long.parseLong(o.vsctl("--format=csv", "--no-headings", "--columns=ofport", "find",
                    "Interface", "ofport>0").lines().count() + "");
            if (attached < 2L * (hosts - 1)) {
                throw new IllegalStateException(o.options().systemId() + ": only " + attached
                        + " interfaces have an ofport");
            }
        }
    }

    private static void removeBridges(List<OvsSandbox> ovs, ExecutorService pool, List<OvsdbHost> weft)
            throws Exception {
        List<Future<String>> runs = new ArrayList<>();
        for (OvsSandbox o : ovs) {
            runs.add(pool.submit(() -> o.vsctl("--if-exists", "del-br", "br-int")));
        }
        for (Future<String> r : runs) {
            r.get(300, TimeUnit.SECONDS);
        }
        waitUntil(() -> weft.stream().allMatch(h -> h.snapshot().bridge("br-int").isEmpty()
                        && h.snapshot().curCfg() >= h.snapshot().nextCfg()),
                "Weft's caches saw the bridges go");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting: " + what);
            }
            Thread.sleep(20); // a benchmark driver, not a test: polling a local cache
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
