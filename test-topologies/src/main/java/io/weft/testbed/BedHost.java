package io.weft.testbed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.weft.model.DatapathType;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An emulated Docker host of a running bed: a network namespace with its own ovsdb-server and ovs-vswitchd
 * (userspace datapath) whose files live in {@code runDir}. Commands run in its namespace with OVS_RUNDIR,
 * OVS_LOGDIR and OVS_DBDIR set to {@code runDir}, so OVS tools find this host's daemons and bridges.
 *
 * @param pid               a process in the host's namespace (its Mininet shell)
 * @param ovsdbTarget       {@code unix:<runDir>/db.sock}, reachable from the root namespace too
 * @param tunnelIp          underlay address, on br-phy's internal port
 * @param underlayInterface the veth to the segment, a port of {@code underlayBridge}
 * @param gateway           the router towards other segments, or null on a single-segment underlay
 * @param ovsdbPid          ovsdb-server's pid at start (see {@link #currentOvsdbPid()} after restarts)
 * @param vswitchdPid       ovs-vswitchd's pid at start (see {@link #currentVswitchdPid()} after restarts)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BedHost(String name, long pid, Path runDir, String ovsdbTarget, String ovsdbCtl, String vswitchdCtl,
                      long ovsdbPid, long vswitchdPid, String tunnelIp, int prefixLength, String underlayInterface,
                      String underlayBridge, String segment, String gateway, String datapathType) {

    private static final Pattern FLOW_AGE = Pattern.compile("duration=([0-9.]+)s, ");
    private static final Pattern FLOW_COUNTERS =
            Pattern.compile("(duration|n_packets|n_bytes|idle_age|hard_age)=[^,]+, ?");

    /** Runs {@code argv} in this host's namespace with its OVS environment. */
    public ExecResult exec(String... argv) {
        return exec(NamespaceExec.DEFAULT_TIMEOUT, argv);
    }

    public ExecResult exec(Duration timeout, String... argv) {
        return NamespaceExec.run(pid, ovsEnvironment(), timeout, argv);
    }

    /** {@code ovs-vsctl --db=<ovsdbTarget> ARGS}. */
    public ExecResult vsctl(String... args) {
        return exec(prepend(List.of("ovs-vsctl", "--timeout=30", "--db=" + ovsdbTarget), args));
    }

    /** {@code ovs-ofctl -O OpenFlow13 ARGS}; a bridge name such as {@code br-int} means {@code <runDir>/br-int.mgmt}. */
    public ExecResult ofctl(String... args) {
        return exec(prepend(List.of("ovs-ofctl", "-O", "OpenFlow13"), args));
    }

    /** {@code ovs-appctl -t <vswitchd ctl> ARGS}, e.g. {@code appctl("ofproto/trace", "br-int", "in_port=1")}. */
    public ExecResult appctl(String... args) {
        return exec(prepend(List.of("ovs-appctl", "-t", vswitchdCtl), args));
    }

    /** {@code ovs-appctl -t <ovsdb-server ctl> ARGS}. */
    public ExecResult ovsdbAppctl(String... args) {
        return exec(prepend(List.of("ovs-appctl", "-t", ovsdbCtl), args));
    }

    /** The OpenFlow management socket of one of this host's bridges: {@code unix:<runDir>/<bridge>.mgmt}. */
    public String bridgeMgmtTarget(String bridge) {
        return "unix:" + runDir.resolve(bridge + ".mgmt");
    }

    /**
     * Each flow of {@code bridge} (its {@code dump-flows} text without counters) and how long it has been installed,
     * in seconds: a flow whose age went down between two calls was installed again.
     */
    public Map<String, Double> flowAges(String bridge) {
        Map<String, Double> ages = new TreeMap<>();
        for (String line : ofctl("dump-flows", bridge).orThrow().stdout().split("\n")) {
            Matcher m = FLOW_AGE.matcher(line);
            if (m.find()) {
                ages.put(FLOW_COUNTERS.matcher(line).replaceAll("").trim(), Double.parseDouble(m.group(1)));
            }
        }
        return ages;
    }

    /** ovs-vswitchd's pid now, from its pidfile (empty while it is down). */
    public Optional<Long> currentVswitchdPid() {
        return readPid(runDir.resolve("vswitchd.pid"));
    }

    /** ovsdb-server's pid now, from its pidfile (empty while it is down). */
    public Optional<Long> currentOvsdbPid() {
        return readPid(runDir.resolve("ovsdb.pid"));
    }

    /** The host as Weft's model sees it: name, tunnel IP, netdev datapath, OVSDB over its unix socket. */
    public Host toModel() {
        return new Host(name, Ipv4Address.parse(tunnelIp), DatapathType.parse(datapathType), Optional.of(ovsdbTarget),
                Optional.empty());
    }

    Map<String, String> ovsEnvironment() {
        String dir = runDir.toString();
        return Map.of("OVS_RUNDIR", dir, "OVS_LOGDIR", dir, "OVS_DBDIR", dir);
    }

    private static Optional<Long> readPid(Path pidfile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidfile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String[] prepend(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
