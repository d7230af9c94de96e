package io.weft.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The bench's sizes; every one can be given as {@code --name value}. Defaults are issue 5's. */
record BenchParams(int hosts, int networks, int existing, int warmup, int samples, double churnRate,
                   double churnSeconds, int churnThreads, int churnSlots, String portType, Path workDir, Path weft) {

    static BenchParams parse(String[] args) {
        Map<String, String> a = options(args, Set.of("hosts", "networks", "existing", "warmup", "samples",
                "churn-rate", "churn-seconds", "churn-threads", "churn-slots", "port-type", "work-dir", "weft"));
        return new BenchParams(
                Integer.parseInt(a.getOrDefault("hosts", "10")),
                Integer.parseInt(a.getOrDefault("networks", "1")),
                Integer.parseInt(a.getOrDefault("existing", "2000")),
                Integer.parseInt(a.getOrDefault("warmup", "30")),
                Integer.parseInt(a.getOrDefault("samples", "300")),
                Double.parseDouble(a.getOrDefault("churn-rate", "1000")),
                Double.parseDouble(a.getOrDefault("churn-seconds", "60")),
                Integer.parseInt(a.getOrDefault("churn-threads", "32")),
                Integer.parseInt(a.getOrDefault("churn-slots", "200")),
                a.getOrDefault("port-type", "internal"),
                workDir(a),
                weft(a));
    }

    /** {@code --name value} pairs; an option not in {@code known} is refused. */
    static Map<String, String> options(String[] args, Set<String> known) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --name value ...; bad argument " + args[i]);
            }
            a.put(args[i].substring(2), args[++i]);
        }
        Set<String> unknown = new TreeSet<>(a.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown + "; known: " + new TreeSet<>(known));
        }
        return a;
    }

    static Path workDir(Map<String, String> options) {
        return Path.of(options.getOrDefault("work-dir", "/tmp/weft-bench-" + ProcessHandle.current().pid()));
    }

    static Path weft(Map<String, String> options) {
        return Path.of(options.getOrDefault("weft", "bin/weft")).toAbsolutePath().normalize();
    }
}
