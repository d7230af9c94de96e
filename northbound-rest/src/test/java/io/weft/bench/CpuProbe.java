package io.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of groups of processes, from {@code /proc/PID/stat} (user + system, in clock ticks of 1/100 s, Linux's
 * USER_HZ): what the controller, the switches and the bench client each used during a phase, on a machine they share.
 */
final class CpuProbe {

    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, List<Long>> groups = new LinkedHashMap<>();

    CpuProbe group(String name, List<Long> pids) {
        groups.put(name, List.copyOf(pids));
        return this;
    }

    /** The first three fields of /proc/loadavg: what else the machine's cores were doing. */
    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + ", " + f[1] + ", " + f[2];
    }

    /** CPU seconds used so far, per group. */
    Map<String, Double> sample() {
        Map<String, Double> out = new LinkedHashMap<>();
        groups.forEach((name, pids) -> out.put(name, pids.stream().mapToDouble(CpuProbe::cpuSeconds).sum()));
        return out;
    }

    /**
     * CPU seconds each kind of thread of process {@code pid} used so far, largest first: threads are grouped by
     * their name without its number ({@code C2 CompilerThread0} and {@code 1} count as {@code C2 CompilerThread}).
     */
    static Map<String, Double> byThread(long pid) {
        Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[-#]?\\d+$", "");
                    out.merge(name, ticks(stat), Double::sum);
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        out.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * CPU seconds the JIT compiler threads of JVM {@code pid} used so far ({@code C1/C2 CompilerThread}, as
     * {@code /proc} shortens their names): the JVM compiling hot code, which a process that runs on stops paying.
     */
    static double jitSeconds(long pid) {
        return byThread(pid).entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** A process that is gone counts as 0: the phase's figure for its group is then a lower bound. */
    private static double cpuSeconds(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** User + system seconds of a {@code /proc/PID/stat} (or {@code task/TID/stat}) line. */
    private static double ticks(String stat) {
        // Fields after the command name, which is in parentheses and may itself contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }
}
