package io.weft.controller.reconcile;

import io.weft.controller.metrics.ControllerMetrics;
import io.weft.controller.store.InMemoryStore;
import io.weft.controller.store.Mutation;
import io.weft.controller.store.Store;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The reconcile loop's own CPU per endpoint add or delete, without REST, store or switches: the reconciler against
 * fake OVSDB sessions ({@link FakeOvsdb}) and fake switches ({@link FakeSwitch}), 10 hosts and 2,000 existing
 * endpoints as in {@code northbound-rest/bench.sh}, then adds and deletes paced at a fixed rate on 200 slots. The
 * loop thread's CPU time is read from the JVM, so the figure moves little with the machine's load (a shared machine
 * moves the bed bench's per-operation figure with its throughput). As issue 11's work measured it (BENCHMARKS.md):
 *   scripts/run-test-main.sh controller io.weft.controller.reconcile.ReconcilerCpuBench [HOSTS EXISTING RATE SECONDS]
 * (defaults 10 2000 500 20; {@code --tiny}: 2 hosts, 10 endpoints, 2 s).
 */
public final class ReconcilerCpuBench {

    private static final int SLOTS = 200;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--tiny")) {
            args = new String[] {"2", "10", "20", "2"}; // proves that it runs; no figures
        }
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int existing = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Thread[] loopThread = new Thread[1];
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-reconcile");
            t.setDaemon(true);
            loopThread[0] = t;
            return t;
        });
        Store store = new InMemoryStore();
        Map<String, FakeOvsdb> ovsdbs = new ConcurrentHashMap<>();
        Reconciler reconciler = new Reconciler(store, (host, onChange) -> {
            FakeOvsdb f = ovsdbs.computeIfAbsent(host.name(), n -> new FakeOvsdb(host));
            f.onChange = onChange;
            return f;
        // The production registry (Prometheus), so that the meters' cost on the loop is counted too.
        }, "unix:/run/weft/of.sock", loop, Clock.systemUTC(), Reconciler.Settings.DEFAULTS,
                new ControllerMetrics().registry());
        for (int h = 1; h <= hosts; h++) {
            commit(store, List.of(new Mutation.PutHost(Host.of("h" + h, "172.31.1." + (10 + h)))));
        }
        commit(store, List.of(new Mutation.PutNetwork(new Network("red", 256, Encapsulation.VXLAN, 1450,
                List.of(Subnet.of("10.0.0.0/16", "10.0.255.254"))))));
        reconciler.start();
        for (int h = 1; h <= hosts; h++) {
            reconciler.switchConnected(new FakeSwitch(h));
        }
        List<Mutation> batch = new ArrayList<>();
        long revision = 0;
        for (int i = 0; i < existing; i++) {
            batch.add(new Mutation.PutEndpoint(endpoint("e" + i, "h" + (i % hosts + 1), "p" + i, i)));
            if (batch.size() == 100 || i == existing - 1) {
                revision = commit(store, batch);
                batch = new ArrayList<>();
            }
        }
        reconciler.awaitInstalled(revision).get(120, TimeUnit.SECONDS);

        churn(store, reconciler, hosts, rate, Math.max(2, seconds / 2), loopThread[0]); // warm-up
        Result r = churn(store, reconciler, hosts, rate, seconds, loopThread[0]);
        System.out.printf("hosts %d, existing endpoints %d, %d ops (adds and deletes) at %d ops/s over %d s%n",
                hosts, existing, r.ops, rate, seconds);
        System.out.printf("reconcile loop CPU: %.1f ms in all, %.3f ms per operation%n", r.loopCpuNanos / 1e6,
                r.loopCpuNanos / 1e6 / r.ops);
        reconciler.close();
        loop.shutdownNow();
    }

    private record Result(int ops, long loopCpuNanos) {
    }

    /** Adds and deletes at {@code rate} for {@code seconds}, then waits until every host holds the last revision. */
    private static Result churn(Store store, Reconciler reconciler, int hosts, int rate, int seconds,
                                Thread loopThread) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuBefore = threads.getThreadCpuTime(loopThread.getId());
        int ops = rate * seconds;
        long start = System.nanoTime();
        long revision = 0;
        for (int i = 0; i < ops; i++) {
            LockSupport.parkNanos(start + (long) i * 1_000_000_000L / rate - System.nanoTime());
            int slot = i % SLOTS;
            EndpointId id = new EndpointId("red", "s" + slot);
            boolean present = store.current().endpoints().containsKey(id);
            Mutation m = present ? new Mutation.DeleteEndpoint(id)
                    : new Mutation.PutEndpoint(endpoint(id.name(), "h" + (slot % hosts + 1), "s" + slot,
                    60_000 + slot));
            revision = commit(store, List.of(m));
        }
        reconciler.awaitInstalled(revision).get(120, TimeUnit.SECONDS);
        return new Result(ops, threads.getThreadCpuTime(loopThread.getId()) - cpuBefore);
    }

    private static long commit(Store store, List<Mutation> mutations) throws Exception {
        return store.update(state -> mutations).revision();
    }

    private static Endpoint endpoint(String name, String host, String port, int n) {
        Ipv4Address ip = Ipv4Address.parse("10.0." + (n / 250) + "." + (n % 250 + 1));
        return new Endpoint(new EndpointId("red", name), host, port, MacAddress.fromIpv4(ip), ip);
    }
}
