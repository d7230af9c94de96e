package io.weft.ovsdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An Open vSwitch of our own in a scratch directory, for what the shared test bed does not offer: an
 * ovsdb-server in the root namespace (so it can reach our loopback listener or serve {@code pssl:} on 127.0.0.1)
 * and the 20-host benchmark. ovs-vswitchd, when wanted, runs in a namespace of its own so the bridges' internal
 * ports never appear in the root namespace. Everything is named {@code weftdb-<pid>-<name>} and removed by close().
 */
public final class ScratchOvs implements AutoCloseable {

    private static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";

    public final String name;
    public final Path dir;
    final String netns;

    private ScratchOvs(String name, Path dir, String netns) {
        this.name = name;
        this.dir = dir;
        this.netns = netns;
    }

    static String prefix() {
        return "weftdb-" + ProcessHandle.current().pid();
    }

    /**
     * @param remotes     extra ovsdb-server {@code --remote} arguments (e.g. {@code pssl:PORT:127.0.0.1})
     * @param sslFiles    key, cert, CA for pssl, or null
     * @param withVswitchd also start ovs-vswitchd (in namespace {@code weftdb-<pid>-<name>})
     */
    public static ScratchOvs start(String name, List<String> remotes, SslConfig sslFiles, boolean withVswitchd)
            throws IOException {
        String unique = prefix() + "-" + name;
        Path dir = Files.createDirectories(Path.of("/tmp", unique));
        ScratchOvs ovs = new ScratchOvs(name, dir, withVswitchd ? unique : null);
        try {
            ovs.run("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA);
            List<String> server = new ArrayList<>(List.of("ovsdb-server", dir.resolve("conf.db").toString(),
                    "--remote=punix:" + dir.resolve("db.sock"),
                    "--remote=db:Open_vSwitch,Open_vSwitch,manager_options",
                    "--pidfile=" + dir.resolve("ovsdb.pid"), "--unixctl=" + dir.resolve("ovsdb.ctl"),
                    "--log-file=" + dir.resolve("ovsdb.log"), "-vconsole:off", "--detach"));
            remotes.forEach(r -> server.add("--remote=" + r));
            if (sslFiles != null) {
                server.add("--private-key=" + sslFiles.privateKey());
                server.add("--certificate=" + sslFiles.certificate());
                server.add("--ca-cert=" + sslFiles.caCertificate());
            }
            ovs.run(server.toArray(String[]::new));
            ovs.vsctl("--no-wait", "init", "--", "set", "Open_vSwitch", ".", "external_ids:system-id=" + name);
            if (withVswitchd) {
                ovs.run("ip", "netns", "add", unique);
                ovs.run("ip", "netns", "exec", unique, "ovs-vswitchd", "unix:" + dir.resolve("db.sock"),
                        "--pidfile=" + dir.resolve("vswitchd.pid"), "--unixctl=" + dir.resolve("vswitchd.ctl"),
                        "--log-file=" + dir.resolve("vswitchd.log"), "-vconsole:off", "--detach");
            }
            return ovs;
        } catch (IOException | RuntimeException e) {
            ovs.close();
            throw e;
        }
    }

    public String target() {
        return "unix:" + dir.resolve("db.sock");
    }

    public String vsctl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ovs-vsctl", "--timeout=60", "--db=" + target()));
        argv.addAll(List.of(args));
        return run(argv.toArray(String[]::new));
    }

    public String run(String... argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("OVS_RUNDIR", dir.toString());
        pb.environment().put("OVS_LOGDIR", dir.toString());
        pb.environment().put("OVS_DBDIR", dir.toString());
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        stop("vswitchd");
        stop("ovsdb");
        if (netns != null) {
            quietly("ip", "netns", "del", netns);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: the directory is under /tmp and uniquely named
        }
    }

    private void stop(String daemon) {
        Path pidfile = dir.resolve(daemon + ".pid");
        if (!Files.exists(pidfile)) {
            return;
        }
        quietly("ovs-appctl", "-t", dir.resolve(daemon + ".ctl").toString(), "exit");
        try {
            long pid = Long.parseLong(Files.readString(pidfile).strip());
            ProcessHandle.of(pid).ifPresent(h -> {
                if (h.info().command().orElse("").contains(daemon.equals("ovsdb") ? "ovsdb-server" : "ovs-vswitchd")) {
                    h.destroy();
                }
            });
        } catch (IOException | NumberFormatException e) {
            // already gone
        }
    }

    private void quietly(String... argv) {
        try {
            run(argv);
        } catch (IOException e) {
            // best effort during cleanup
        }
    }
}
