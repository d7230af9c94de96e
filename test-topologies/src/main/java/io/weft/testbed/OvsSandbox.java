package io.weft.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Open vSwitch of a test's own, for what the Mininet bed does not offer: one ovsdb-server and (unless told
 * otherwise) one ovs-vswitchd with the userspace datapath, every file in {@link #dir()}, started by the script the
 * bed's hosts use too ({@code weftbed/ovs-host.sh}). By default both daemons run in a fresh network namespace, so
 * bridges' internal ports never appear in the root namespace; {@link Placement} says when they must not.
 *
 * <p>Everything is named {@code wovs-XXXXXX} (directory under {@code java.io.tmpdir}, namespace) and removed by
 * {@link #close()}, also after a failed start. The directory goes last, and only once the namespace and any bridge
 * in the root namespace are gone, so whatever could not be removed leaves a visible trace where the suite looks.
 */
public final class OvsSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OvsSandbox.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Unix socket paths are limited to 108 bytes; the longest we make is {@code <dir>/<bridge>.mgmt}. */
    private static final int MAX_DIR_LENGTH = 80;

    /** Where the daemons run. */
    public enum Placement {
        /** Both in a fresh network namespace. */
        OWN_NAMESPACE,
        /** ovsdb-server in the root namespace (serving {@code ptcp:}/{@code pssl:} on loopback), ovs-vswitchd not. */
        OVSDB_IN_ROOT,
        /**
         * Both in the root namespace, for a switch that must reach a TCP listener on loopback. Bridges' internal ports
         * are tap devices there: give bridges unique names (e.g. {@link #name()}).
         */
        ROOT_NAMESPACE
    }

    /** Key, certificate and CA certificate (PEM) for ovsdb-server's {@code pssl:} remotes. */
    public record Tls(Path privateKey, Path certificate, Path caCertificate) {
    }

    /**
     * How to start a sandbox; {@link #defaults()} then {@code with...}.
     *
     * @param remotes  extra ovsdb-server remotes, e.g. {@code pssl:PORT:127.0.0.1}
     * @param tls      ovsdb-server's key, certificate and CA, or null
     * @param systemId {@code external_ids:system-id} of the Open_vSwitch row, or null
     */
    public record Options(Placement placement, boolean vswitchd, List<String> remotes, Tls tls, String systemId) {

        public Options {
            remotes = List.copyOf(remotes);
        }

        public static Options defaults() {
            return new Options(Placement.OWN_NAMESPACE, true, List.of(), null, null);
        }

        public Options in(Placement where) {
            return new Options(where, vswitchd, remotes, tls, systemId);
        }

        /** Only ovsdb-server: for OVSDB tests that need no switch. */
        public Options withoutVswitchd() {
            return new Options(placement, false, remotes, tls, systemId);
        }

        public Options withRemote(String remote) {
            List<String> more = new ArrayList<>(remotes);
            more.add(remote);
            return new Options(placement, vswitchd, more, tls, systemId);
        }

        public Options withTls(Tls files) {
            return new Options(placement, vswitchd, remotes, files, systemId);
        }

        public Options withSystemId(String id) {
            return new Options(placement, vswitchd, remotes, tls, id);
        }
    }

    private final String name;
    private final Path dir;
    private final Options options;
    private final String netns;
    private final List<String> rootBridges = new ArrayList<>();
    private final Path script;

    private OvsSandbox(String name, Path dir, Options options, String netns, Path script) {
        this.name = name;
        this.dir = dir;
        this.options = options;
        this.netns = netns;
        this.script = script;
    }

    public static OvsSandbox start() throws IOException {
        return start(Options.defaults());
    }

    public static OvsSandbox start(Options options) throws IOException {
        Prerequisites.checkOvs();
        String name = "wovs-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), name).toAbsolutePath();
        if (dir.toString().length() > MAX_DIR_LENGTH) {
            throw new IllegalStateException("java.io.tmpdir is too long for OVS's unix sockets: " + dir);
        }
        Files.createDirectory(dir);
        String netns = options.placement() == Placement.ROOT_NAMESPACE ? null : name;
        OvsSandbox ovs = new OvsSandbox(name, dir, options, netns, PythonSource.root().resolve("weftbed/ovs-host.sh"));
        try {
            if (netns != null) {
                ovs.run("ip", "netns", "add", netns);
            }
            List<String> ovsdb = new ArrayList<>(List.of("sh", ovs.script.toString(), "start-ovsdb", dir.toString()));
            if (options.systemId() != null) {
                ovsdb.add("--system-id=" + options.systemId());
            }
            options.remotes().forEach(r -> ovsdb.add("--remote=" + r));
            if (options.tls() != null) {
                ovsdb.add("--private-key=" + options.tls().privateKey());
                ovsdb.add("--certificate=" + options.tls().certificate());
                ovsdb.add("--ca-cert=" + options.tls().caCertificate());
            }
            if (options.placement() == Placement.OWN_NAMESPACE) {
                ovs.inNamespace(ovsdb.toArray(String[]::new));
            } else {
                ovs.run(ovsdb.toArray(String[]::new));
            }
            if (options.vswitchd()) {
                ovs.startVswitchd();
            }
            return ovs;
        } catch (IOException | RuntimeException e) {
            ovs.close();
            throw e;
        }
    }

    /** {@code wovs-XXXXXX}: also the namespace's name, and a name no other sandbox has. */
    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public Options options() {
        return options;
    }

    /** The namespace ovs-vswitchd runs in, unless {@link Placement#ROOT_NAMESPACE}. */
    public Optional<String> netns() {
        return Optional.ofNullable(netns);
    }

    /** {@code unix:<dir>/db.sock}, reachable from every namespace. */
    public String ovsdbTarget() {
        return "unix:" + dir.resolve("db.sock");
    }

    /** A bridge's management socket, usable as an {@code ovs-ofctl} target. */
    public String mgmt(String bridge) {
        return "unix:" + dir.resolve(bridge + ".mgmt");
    }

    /** ovs-vswitchd's unixctl socket, as {@code ovs-appctl -t} takes it. */
    public Path vswitchdControl() {
        return dir.resolve("vswitchd.ctl");
    }

    public String vsctl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ovs-vsctl", "--timeout=60", "--db=" + ovsdbTarget()));
        argv.addAll(List.of(args));
        return run(argv.toArray(String[]::new));
    }

    /** {@code ovs-ofctl ARGS}: name bridges by {@link #mgmt(String)}. */
    public String ofctl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ovs-ofctl"));
        argv.addAll(List.of(args));
        return run(argv.toArray(String[]::new));
    }

    /** {@code ovs-appctl} against this sandbox's ovs-vswitchd. */
    public String appctl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ovs-appctl", "-t", vswitchdControl().toString()));
        argv.addAll(List.of(args));
        return run(argv.toArray(String[]::new));
    }

    /** A connection to ovs-vswitchd's unixctl socket for many requests; the caller closes it. */
    public Unixctl unixctl() throws IOException {
        return Unixctl.connect(vswitchdControl());
    }

    /**
     * Adds a bridge on the userspace datapath: {@code add-br BRIDGE -- set Bridge BRIDGE datapath_type=netdev
     * COLUMN=VALUE...}.
     */
    public void addBridge(String bridge, String... columns) throws IOException {
        List<String> argv = new ArrayList<>(List.of("add-br", bridge, "--", "set", "Bridge", bridge,
                "datapath_type=netdev"));
        argv.addAll(List.of(columns));
        if (netns == null) {
            rootBridges.add(bridge);
        }
        vsctl(argv.toArray(String[]::new));
    }

    public void startVswitchd() throws IOException {
        inNamespace("sh", script.toString(), "start-vswitchd", dir.toString());
    }

    /** Stops ovs-vswitchd (by its pidfile, never by name: other people's OVS runs here too) and waits for it to go. */
    public void stopVswitchd() throws IOException {
        run("sh", script.toString(), "stop", dir.toString(), "vswitchd");
    }

    /** Runs a command in the root namespace with this sandbox's OVS_RUNDIR, OVS_LOGDIR, OVS_DBDIR; fails on failure. */
    public String run(String... argv) throws IOException {
        ExecResult r = NamespaceExec.command(List.of(argv), Map.of("OVS_RUNDIR", dir.toString(),
                "OVS_LOGDIR", dir.toString(), "OVS_DBDIR", dir.toString()), COMMAND_TIMEOUT);
        if (!r.ok()) {
            throw new IOException(String.join(" ", argv) + " failed (" + r.exitCode() + "): " + r.stderr().strip()
                    + (r.stdout().isBlank() ? "" : "\n" + r.stdout().strip()));
        }
        return r.stdout();
    }

    /** Runs a command where ovs-vswitchd runs: its namespace, or the root namespace. */
    public String inNamespace(String... argv) throws IOException {
        if (netns == null) {
            return run(argv);
        }
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        command.addAll(List.of(argv));
        return run(command.toArray(String[]::new));
    }

    @Override
    public void close() {
        List<String> left = new ArrayList<>();
        if (Files.exists(dir.resolve("vswitchd.pid")) || Files.exists(dir.resolve("ovsdb.pid"))) {
            try {
                run("sh", script.toString(), "stop", dir.toString());
            } catch (IOException | UncheckedIOException e) {
                left.add("daemons: " + e.getMessage());
            }
        }
        for (String bridge : rootBridges) {
            // `exit --cleanup` removed the bridge's tap device; a switch that was already gone left it behind.
            if (Files.exists(Path.of("/sys/class/net", bridge))) {
                try {
                    run("ip", "link", "delete", bridge);
                } catch (IOException | UncheckedIOException e) {
                    left.add("tap device " + bridge + ": " + e.getMessage());
                }
            }
        }
        if (netns != null && Files.exists(Path.of("/var/run/netns", netns))) {
            try {
                run("ip", "netns", "delete", netns);
            } catch (IOException | UncheckedIOException e) {
                left.add("namespace " + netns + ": " + e.getMessage());
            }
        }
        if (!left.isEmpty()) {
            LOG.error("OVS sandbox {} could not remove everything; {} stays as a trace: {}", name, dir, left);
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.error("OVS sandbox {}: cannot remove {}: {}", name, dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "OVS sandbox " + dir + (netns == null ? " (root namespace)" : " (namespace " + netns + ")");
    }
}
