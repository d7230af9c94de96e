package io.weft.bench;

import io.weft.testbed.BedHost;
import io.weft.testbed.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ports created on a bed host's br-int before any endpoint names them, in one ovs-vsctl transaction per host. They
 * carry no Weft ownership, so Weft binds an endpoint whose {@code port} is one of them (a non-owned port with the
 * endpoint's port name) instead of adding its own, and leaves the port in place when the endpoint is deleted.
 * Internal ports get an ofport from the userspace datapath (a tap device in the host's namespace).
 */
final class PortPool {

    private PortPool() {
    }

    static String portName(int hostIndex, int i) {
        return "p" + hostIndex + "x" + i; // at most 15 characters: a Linux interface name
    }

    /**
     * {@link #create}s {@code count} ports on every host (host i's named {@code portName(i, ...)}), a few hosts at a
     * time, and says how long it took.
     */
    static void createOnAll(List<BedHost> hosts, int count, String type) throws InterruptedException,
            ExecutionException {
        long t = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, hosts.size()));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                int hi = i;
                done.add(pool.submit(() -> create(hosts.get(hi), hi, count, type)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        ControllerBench.log("%d %s ports created on each host's br-int in %.1f s", count, type,
                (System.nanoTime() - t) / 1e9);
    }

    /** Creates ports {@code portName(hostIndex, 0..count-1)} and waits until ovs-vswitchd has applied them. */
    static void create(BedHost host, int hostIndex, int count, String type) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String p = portName(hostIndex, i);
            args.addAll(List.of("--", "--may-exist", "add-port", "br-int", p, "--", "set", "Interface", p,
                    "type=" + type));
            if (type.equals("patch")) {
                args.add("options:peer=" + p + "-peer");
            }
        }
        ExecResult r = host.exec(Duration.ofMinutes(2), vsctl(host, args));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("creating " + count + " ports on " + host.name() + " failed: "
                    + r.stderr());
        }
    }

    /** ovs-vsctl with the host's database and a long timeout: hundreds of taps take a while in the userspace datapath. */
    private static String[] vsctl(BedHost host, List<String> args) {
        List<String> all = new ArrayList<>(List.of("ovs-vsctl", "--timeout=120", "--db=" + host.ovsdbTarget()));
        all.addAll(args);
        return all.toArray(String[]::new);
    }
}
