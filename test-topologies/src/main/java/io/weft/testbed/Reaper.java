package io.weft.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The last line of defence when the launcher itself died hard (SIGKILL, OOM) and could not tear down: kills every
 * process inside the bed's own network namespaces (identified by their nsfs inodes recorded at start, so nothing
 * else on the machine is touched) and removes the bed's run dir.
 */
final class Reaper {

    private final Set<String> netns;
    private final Path runDir;

    private Reaper(Set<String> netns, Path runDir) {
        this.netns = Set.copyOf(netns);
        this.runDir = runDir;
    }

    static Reaper of(BedDescription bed) {
        Set<String> netns = new HashSet<>();
        Stream.of(bed.hosts().stream().map(BedHost::pid), bed.containers().stream().map(BedContainer::pid),
                        bed.routers().stream().map(BedRouter::pid), bed.segments().stream().map(BedSegment::pid))
                .flatMap(s -> s)
                .forEach(pid -> {
                    try {
                        netns.add(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString());
                    } catch (IOException e) {
                        throw new IllegalStateException("node process " + pid + " vanished during start", e);
                    }
                });
        return new Reaper(netns, bed.runDir());
    }

    /** Kills what is left and removes the run dir; returns how many processes it had to kill. */
    int reap() {
        Set<ProcessHandle> left = new HashSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    if (netns.contains(Files.readSymbolicLink(p.resolve("ns/net")).toString())) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(left::add);
                    }
                } catch (IOException ignored) {
                    // exited meanwhile, or a kernel thread
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        deleteRunDir();
        return left.size();
    }

    private void deleteRunDir() {
        if (!Files.exists(runDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(runDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // reported by the caller's checks, not fatal here
        }
    }
}
