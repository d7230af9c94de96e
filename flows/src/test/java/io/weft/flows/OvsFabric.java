package io.weft.flows;

import static org.awaitility.Awaitility.await;

import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.OfctlFormat;
import io.weft.testbed.OvsSandbox;
import io.weft.testbed.Unixctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real ovs-vswitchd (userspace datapath, in an {@link OvsSandbox}) holding every host of a snapshot as a bridge
 * {@code br-<host>}: the host's ports with the snapshot's ofports (tunnel ports {@code vxlan}/{@code gre} with
 * {@code key=flow}, as Weft makes them; endpoint ports internal), one port Weft does not know
 * ({@link #STRANGER_OFPORT}), and the host's compiled flows, each with the cookie {@code index + 1} so that a trace
 * names exactly the flow that matched. A tunnel port from host i to host j points at 10.200.i.j, reachable through
 * {@code br-phy} with a static neighbour, so ovs-vswitchd really encapsulates and a trace shows the tunnel type and
 * key on the wire. (Weft's own ports carry local and remote underlay IPs; all hosts share one switch here, so each
 * host pair gets its own remote address instead.)
 */
final class OvsFabric implements AutoCloseable {

    static final long STRANGER_OFPORT = 90;
    private static final int MAX_HOSTS = 16;
    private static final Pattern DPIF_PORT = Pattern.compile("^\\s+(\\S+) (\\d+)/(\\d+):");

    private final OvsSandbox ovs;
    private final Unixctl ctl;
    private final List<String> bridges = new ArrayList<>();
    private final Map<String, Integer> hostIndex = new HashMap<>();
    private final Map<String, Map<Long, Long>> odpToOfport = new HashMap<>();

    private OvsFabric(OvsSandbox ovs, Unixctl ctl) {
        this.ovs = ovs;
        this.ctl = ctl;
    }

    static OvsFabric start() throws IOException {
        OvsSandbox ovs = OvsSandbox.start();
        try {
            ovs.addBridge("br-phy", "fail_mode=standalone");
            ovs.vsctl("add-port", "br-phy", "uplink", "--", "set", "Interface", "uplink", "type=internal");
            ovs.inNamespace("ip", "addr", "add", "10.200.0.254/16", "dev", "br-phy");
            ovs.inNamespace("ip", "link", "set", "br-phy", "up");
            await("OVS learned the route to the tunnel addresses").atMost(Duration.ofSeconds(20))
                    .until(() -> ovs.appctl("ovs/route/show").contains("10.200.0.0/16"));
            Unixctl ctl = ovs.unixctl();
            for (int i = 1; i <= MAX_HOSTS; i++) {
                for (int j = 1; j <= MAX_HOSTS; j++) {
                    ctl.call("tnl/neigh/set", "br-phy", remote(i, j), String.format("02:00:00:00:%02x:%02x", i, j));
                }
            }
            return new OvsFabric(ovs, ctl);
        } catch (IOException | RuntimeException e) {
            ovs.close();
            throw e;
        }
    }

    private static String remote(int host, int peer) {
        return "10.200." + host + "." + peer;
    }

    /** Replaces whatever was loaded by the snapshot's hosts, ports and the given flows of each host. */
    void load(NetworkSnapshot snapshot, Map<String, List<FlowRule>> flows) throws IOException {
        if (!bridges.isEmpty()) {
            List<String> del = new ArrayList<>();
            bridges.forEach(b -> del.addAll(List.of("--", "del-br", b)));
            ovs.vsctl(del.toArray(String[]::new));
            bridges.clear();
        }
        hostIndex.clear();
        for (String host : snapshot.hosts().keySet()) {
            hostIndex.put(host, hostIndex.size() + 1);
        }
        if (hostIndex.size() > MAX_HOSTS) {
            throw new IllegalArgumentException("at most " + MAX_HOSTS + " hosts");
        }
        List<String> add = new ArrayList<>();
        for (String host : snapshot.hosts().keySet()) {
            String bridge = bridge(host);
            add.addAll(List.of("--", "add-br", bridge, "--", "set", "Bridge", bridge, "datapath_type=netdev",
                    "fail_mode=secure", "protocols=OpenFlow13,OpenFlow14"));
            Map<String, Integer> ports = new HashMap<>(snapshot.ofports().getOrDefault(host, Map.of()));
            ports.put("stranger", (int) STRANGER_OFPORT);
            ports.forEach((port, ofport) -> {
                String name = hostIndex.get(host) + "." + port; // OVS port names are unique across bridges
                add.addAll(List.of("--", "add-port", bridge, name, "--", "set", "Interface", name,
                        "ofport_request=" + ofport));
                Optional<FabricWalker.TunnelEnd> tunnel = FabricWalker.tunnelEnd(snapshot, host, port);
                if (tunnel.isPresent()) {
                    add.addAll(List.of("type=" + tunnel.get().encapsulation().ovsType(), "options:key=flow",
                            "options:remote_ip=" + remote(hostIndex.get(host), hostIndex.get(tunnel.get().peer()))));
                } else {
                    add.add("type=internal");
                }
            });
            bridges.add(bridge);
        }
        ovs.vsctl(add.toArray(String[]::new));
        for (String host : snapshot.hosts().keySet()) {
            Path file = ovs.dir().resolve("flows.txt");
            List<String> lines = new ArrayList<>();
            List<FlowRule> hostFlows = flows.get(host);
            for (int i = 0; i < hostFlows.size(); i++) {
                FlowRule f = hostFlows.get(i);
                lines.add(OfctlFormat.flow(new FlowRule(f.tableId(), f.priority(), f.match(), f.instructions(), i + 1)));
            }
            Files.write(file, lines);
            // The DNS punt names the meter: a switch refuses a flow whose meter it lacks.
            String meter = OfctlFormat.meter(NameQueries.METER);
            try {
                ovs.ofctl("-O", "OpenFlow13", "add-meter", ovs.mgmt(bridge(host)), meter);
            } catch (IOException exists) {
                ovs.ofctl("-O", "OpenFlow13", "mod-meter", ovs.mgmt(bridge(host)), meter);
            }
            ovs.ofctl("-O", "OpenFlow14", "--bundle", "replace-flows", ovs.mgmt(bridge(host)), file.toString());
        }
        odpToOfport.clear();
        String bridge = null;
        for (String line : ctl.call("dpif/show").split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("    ")) {
                bridge = line.strip().replace(":", "");
                continue;
            }
            Matcher m = DPIF_PORT.matcher(line);
            if (m.find() && bridge != null) {
                odpToOfport.computeIfAbsent(bridge, b -> new HashMap<>())
                        .put(Long.parseLong(m.group(3)), Long.parseLong(m.group(2)));
            }
        }
    }

    /** {@code ofproto/trace} of a packet (in ovs-ofctl flow syntax) entering the host's bridge. */
    String trace(String host, String flow) throws IOException {
        return ctl.call("ofproto/trace", bridge(host), flow);
    }

    /** The ofport behind a datapath port number of the host's bridge, if any. */
    Optional<Long> ofport(String host, long odpPort) {
        return Optional.ofNullable(odpToOfport.getOrDefault(bridge(host), Map.of()).get(odpPort));
    }

    /** The host a tunnel address of the loaded snapshot leads to (10.200.i.j: host j). */
    Optional<String> hostAt(String address) {
        String[] parts = address.split("\\.");
        if (parts.length != 4 || !parts[0].equals("10") || !parts[1].equals("200")) {
            return Optional.empty();
        }
        int peer = Integer.parseInt(parts[3]);
        return hostIndex.entrySet().stream().filter(e -> e.getValue() == peer).map(Map.Entry::getKey).findFirst();
    }

    private static String bridge(String host) {
        return "br-" + host;
    }

    @Override
    public void close() throws IOException {
        try {
            ctl.close();
        } finally {
            ovs.close();
        }
    }
}
