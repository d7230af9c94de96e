package io.weft.testbed;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks what the bed needs and fails loudly: in this project the README's test command installs all of it,
 * so a missing piece is a broken machine, never a reason to skip.
 */
final class Prerequisites {

    static final String PYTHON = "/usr/bin/python3";
    private static final List<String> TOOLS = List.of("ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl",
            "ovs-ofctl", "ovs-appctl", "mnexec", "nsenter", "ip", "ping", "sysctl");
    private static volatile boolean checked;

    private Prerequisites() { }

    static void check() {
        if (checked) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add("not running as root (namespaces and OVS daemons need it)");
        }
        for (String tool : TOOLS) {
            if (!onPath(tool)) {
                problems.add("'" + tool + "' is not on PATH");
            }
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            problems.add(PYTHON + " is missing");
        } else if (!pythonHasMininet()) {
            problems.add(PYTHON + " cannot import mininet (Debian package 'mininet')");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the Weft test bed cannot start: " + String.join("; ", problems)
                    + ". Run the README's test command as root: it installs openvswitch-switch, mininet, iproute2"
                    + " and iputils-ping.");
        }
        checked = true;
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
