package io.weft.testbed;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Checks what the bed needs and fails loudly: in this project the README's test command installs all of it,
 * so a missing piece is a broken machine, never a reason to skip.
 */
final class Prerequisites {

    static final String PYTHON = "/usr/bin/python3";
    private static final List<String> OVS_TOOLS = List.of("ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl",
            "ovs-ofctl", "ovs-appctl", "ip", "sh");
    private static final List<String> BED_TOOLS = List.of("mnexec", "nsenter", "ping", "sysctl");
    private static volatile boolean bedChecked;
    private static volatile boolean ovsChecked;

    private Prerequisites() { }

    /** What the Mininet bed needs. */
    static void check() {
        if (bedChecked) {
            return;
        }
        List<String> problems = ovsProblems();
        BED_TOOLS.stream().filter(t -> !onPath(t)).forEach(t -> problems.add("'" + t + "' is not on PATH"));
        if (!Files.isExecutable(Path.of(PYTHON))) {
            problems.add(PYTHON + " is missing");
        } else if (!pythonHasMininet()) {
            problems.add(PYTHON + " cannot import mininet (Debian package 'mininet')");
        }
        fail("the Weft test bed", problems);
        bedChecked = true;
    }

    /** What an {@link OvsSandbox} needs. */
    static void checkOvs() {
        if (ovsChecked) {
            return;
        }
        fail("an OVS sandbox", ovsProblems());
        ovsChecked = true;
    }

    /** What an {@link EtcdCluster} needs: Debian's etcd-server and etcd-client. */
    static void checkEtcd() {
        List<String> problems = new ArrayList<>();
        Stream.of("etcd", "etcdctl").filter(t -> !onPath(t)).forEach(t -> problems.add("'" + t + "' is not on PATH"));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("an etcd cluster cannot start: " + String.join("; ", problems)
                    + ". Run the README's test command: it installs etcd-server and etcd-client.");
        }
    }

    private static List<String> ovsProblems() {
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add("not running as root (namespaces and OVS daemons need it)");
        }
        OVS_TOOLS.stream().filter(t -> !onPath(t)).forEach(t -> problems.add("'" + t + "' is not on PATH"));
        return problems;
    }

    private static void fail(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException(what + " cannot start: " + String.join("; ", problems)
                    + ". Run the README's test command as root: it installs openvswitch-switch, mininet, iproute2"
                    + " and iputils-ping.");
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean pythonHasMininet() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import mininet.net").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
