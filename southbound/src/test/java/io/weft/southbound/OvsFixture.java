package io.weft.southbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Open vSwitch "host" for integration tests: its own network namespace, run directory, ovsdb-server and
 * ovs-vswitchd (userspace datapath), and a {@code br-int} like the one Weft configures. Everything it creates has
 * a unique name and is removed by {@link #close()}, also after a failed test.
 */
final class OvsFixture implements AutoCloseable {

    final String name;
    final Path dir;
    private final List<String> created = new ArrayList<>();

    OvsFixture() throws IOException {
        this(false);
    }

    /**
     * @param rootNamespace run the daemons in the root namespace instead of a private one, for the one test that
     *                      needs the switch to reach a TCP listener on loopback; bridges then need unique names
     */
    OvsFixture(boolean rootNamespace) throws IOException {
        name = "wsb" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        // Short path: unix socket paths are limited to 108 bytes.
        dir = Files.createDirectories(Path.of("/tmp", name));
        try {
            if (!rootNamespace) {
                run("ip", "netns", "add", name);
                created.add("netns");
            }
            run("ovsdb-tool", "create", dir + "/conf.db", "/usr/share/openvswitch/vswitch.ovsschema");
            inNs("ovsdb-server", dir + "/conf.db", "--remote=punix:" + dir + "/db.sock",
                    "--pidfile=" + dir + "/ovsdb.pid", "--unixctl=" + dir + "/ovsdb.ctl",
                    "--log-file=" + dir + "/ovsdb.log", "-vconsole:off", "--detach");
            vsctl("--no-wait", "init");
            startVswitchd();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    void startVswitchd() throws IOException {
        inNs("ovs-vswitchd", "unix:" + dir + "/db.sock", "--pidfile=" + dir + "/vswitchd.pid",
                "--unixctl=" + dir + "/vswitchd.ctl", "--log-file=" + dir + "/vswitchd.log", "-vconsole:off",
                "--detach");
    }

    /** Kills ovs-vswitchd by its own pidfile (never by name: other engineers run theirs) and waits for it to go. */
    void killVswitchd() throws IOException {
        Path pidFile = dir.resolve("vswitchd.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    /** br-int as Weft configures it: userspace datapath, secure fail mode, OpenFlow 1.3 and 1.4. */
    void createBridge(String controllerTarget, String protocols) throws IOException {
        createBridge("br-int", controllerTarget, protocols);
    }

    void createBridge(String bridge, String controllerTarget, String protocols) throws IOException {
        vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "fail_mode=secure",
                "protocols=" + protocols, "other-config:datapath-id=00000000000000a1");
        created.add("bridge:" + bridge);
        if (controllerTarget != null) {
            vsctl("set-controller", bridge, controllerTarget);
        }
    }

    String vsctl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir + "/db.sock", "--timeout=20"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** ovs-ofctl against the bridge's management socket in this fixture's run dir. */
    String ofctl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** The bridge's management socket, usable as an ovs-ofctl target. */
    String mgmt() {
        return "unix:" + dir + "/br-int.mgmt";
    }

    String inNs(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(created.contains("netns") ? List.of("ip", "netns", "exec", name)
                : List.of());
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    String run(String... cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OVS_RUNDIR", dir.toString());
        pb.environment().put("OVS_LOGDIR", dir.toString());
        pb.environment().put("OVS_DBDIR", dir.toString());
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void killByPidfile(String file) {
        try {
            Path f = dir.resolve(file);
            if (Files.exists(f)) {
                long pid = Long.parseLong(Files.readString(f).trim());
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.destroy();
                    try {
                        p.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
            }
        } catch (IOException | NumberFormatException e) {
            // best effort during cleanup
        }
    }

    @Override
    public void close() {
        if (!created.contains("netns")) {
            // In the root namespace a bridge's internal port is a real tap device: delete bridges while OVS runs.
            for (String c : created) {
                if (c.startsWith("bridge:")) {
                    try {
                        vsctl("--if-exists", "del-br", c.substring("bridge:".length()));
                    } catch (IOException e) {
                        // best effort
                    }
                }
            }
        }
        killByPidfile("vswitchd.pid");
        killByPidfile("ovsdb.pid");
        if (created.contains("netns")) {
            try {
                run("ip", "netns", "delete", name);
            } catch (IOException e) {
                // best effort
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
