package io.weft.flows.bench;

import io.weft.flows.FlowCompiler;
import io.weft.flows.HostFlows;
import io.weft.model.NetworkSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Retained heap of compiled flows, per host and per endpoint, at the benchmark's scale. Compiles {@code sample}
 * hosts (all 100 would need about 100 times one host's heap), measures the heap after full GCs, and extrapolates.
 * Usage: {@code CompiledStateSize [hosts networks endpoints sample]}.
 */
public final class CompiledStateSize {

    private CompiledStateSize() {
    }

    public static void main(String[] args) {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int networks = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int endpoints = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int sample = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        BenchTopology t = new BenchTopology(hosts, networks, endpoints);
        NetworkSnapshot s = t.snapshot(1, t.endpoints);
        long before = usedAfterGc();
        List<HostFlows> kept = new ArrayList<>();
        long flows = 0;
        for (int h = 0; h < sample; h++) {
            HostFlows f = FlowCompiler.compile(s, "h" + h);
            kept.add(f);
            flows += f.flows().size();
        }
        long used = usedAfterGc() - before;
        double perHost = (double) used / sample;
        System.out.printf("hosts=%d networks=%d endpoints=%d sampled=%d%n", hosts, networks, endpoints, sample);
        System.out.printf("flows per host (avg): %.0f; bytes per flow: %.0f%n", (double) flows / sample,
                (double) used / flows);
        System.out.printf("compiled state per host: %.1f MB; per endpoint per host: %.0f B; "
                        + "all hosts, per endpoint: %.1f KB%n",
                perHost / 1e6, perHost / endpoints, perHost * hosts / endpoints / 1e3);
        kept.clear();

        // compiling all hosts together shares identical flows between hosts (an endpoint's remote view per tunnel ofport).
        long bestNanos = Long.MAX_VALUE;
        Map<String, HostFlows> all = null;
        for (int i = 0; i < 3; i++) {
            all = null;
            long base = usedAfterGc();
            long t0 = System.nanoTime();
            all = FlowCompiler.compile(s, s.hosts().keySet());
            bestNanos = Math.min(bestNanos, System.nanoTime() - t0);
            used = usedAfterGc() - base;
        }
        long total = all.values().stream().mapToLong(f -> f.flows().size()).sum();
        System.out.printf("all hosts compiled together: %d hosts, %d flows in %.0f ms (best of 3), %.1f MB retained; "
                        + "per endpoint: %.1f KB%n",
                all.size(), total, bestNanos / 1e6, used / 1e6, (double) used / endpoints / 1e3);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
