package io.weft.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** What a running bed consists of in /proc: its processes and network namespaces, to prove teardown removed them. */
record BedProcesses(Set<Long> pids, Set<String> netns) {

    static BedProcesses of(TestBed bed) {
        Set<Long> pids = new HashSet<>();
        pids.add(bed.launcherPid());
        bed.hosts().forEach(h -> {
            pids.add(h.pid());
            pids.add(h.currentOvsdbPid().orElseThrow());
            pids.add(h.currentVswitchdPid().orElseThrow());
        });
        bed.containers().forEach(c -> pids.add(c.pid()));
        bed.routers().forEach(r -> pids.add(r.pid()));
        bed.segments().forEach(s -> pids.add(s.pid()));
        Set<String> netns = new HashSet<>();
        List<Long> nodePids = new ArrayList<>();
        bed.hosts().forEach(h -> nodePids.add(h.pid()));
        bed.containers().forEach(c -> nodePids.add(c.pid()));
        bed.routers().forEach(r -> nodePids.add(r.pid()));
        bed.segments().forEach(s -> nodePids.add(s.pid()));
        for (long pid : nodePids) {
            netns.add(netnsOf(pid));
        }
        return new BedProcesses(Set.copyOf(pids), Set.copyOf(netns));
    }

    static String netnsOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
    }

    /** Pids of the bed still alive (zombies count as gone). */
    Set<Long> alive() {
        Set<Long> alive = new HashSet<>();
        for (long pid : pids) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(pid)) {
                alive.add(pid);
            }
        }
        return alive;
    }

    /** Every process anywhere on the machine that is still inside one of the bed's namespaces. */
    Set<Long> processesInBedNamespaces() {
        Set<Long> found = new HashSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    if (netns.contains(Files.readSymbolicLink(p.resolve("ns/net")).toString())) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException ignored) {
                    // exited meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }
}
