package io.weft.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.FlowRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The walker against a real switch. The property tests judge the compiler by {@link PacketWalker}; here the
 * generated snapshots of those tests (and the reference topology) go into one real ovs-vswitchd ({@link OvsFabric})
 * and, for every packet {@link Probes} makes, {@code ofproto/trace} must come to the walker's {@link Verdict}: the same
 * flow in each table, the same exits (port, or tunnel type, far host and key on the wire), the same headers on the
 * way out. A disagreement is a bug in the flows or in the walker; every one is listed (also in
 * {@code target/walker-vs-ovs.txt}) before the test fails. {@code -Dweft.crosscheck.snapshots=N} asks for more.
 */
class WalkerVsOvsIT {

    private static final int SNAPSHOTS = Integer.getInteger("weft.crosscheck.snapshots", 30);
    private static final Path REPORT = Path.of("target/walker-vs-ovs.txt");

    @Test
    void ovsVswitchdDoesWithEveryPacketWhatTheWalkerSays() throws IOException {
        Map<String, NetworkSnapshot> snapshots = new LinkedHashMap<>();
        snapshots.put("reference topology", ReferenceTopology.snapshot());
        Random seeds = new Random(17);
        for (int i = 0; i < SNAPSHOTS; i++) {
            long seed = seeds.nextLong();
            snapshots.put("RandomTopology(" + seed + "L)", new RandomTopology(seed).snapshot(1));
        }
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        Set<String> exitsSeen = new TreeSet<>();
        Set<String> flowsShown = new HashSet<>();
        int probes = 0;
        try (OvsFabric fabric = OvsFabric.start()) {
            for (Map.Entry<String, NetworkSnapshot> entry : snapshots.entrySet()) {
                NetworkSnapshot s = entry.getValue();
                Map<String, List<FlowRule>> flows = new HashMap<>();
                Map<String, Map<FlowRule, Integer>> numbers = new HashMap<>();
                Map<String, PacketWalker> walkers = new HashMap<>();
                for (String host : s.hosts().keySet()) {
                    List<FlowRule> hostFlows = FlowCompiler.compile(s, host).flows();
                    flows.put(host, hostFlows);
                    Map<FlowRule, Integer> n = new HashMap<>();
                    hostFlows.forEach(f -> n.put(f, n.size() + 1));
                    numbers.put(host, n);
                    walkers.put(host, new PacketWalker(hostFlows));
                }
                fabric.load(s, flows);
                for (Probes.Probe p : Probes.of(s)) {
                    probes++;
                    Trace walked = walkers.get(p.host()).walk(p.packet(), p.inPort());
                    Verdict walker = Verdict.of(walked, numbers.get(p.host()), s, p.host());
                    String ovsTrace = fabric.trace(p.host(), Verdict.flowText(p.packet(), p.inPort()));
                    Verdict ovs = Verdict.ofOvs(ovsTrace, p.host(), fabric);
                    List<String> differences = walker.differencesFrom(ovs);
                    if (differences.isEmpty()) {
                        walker.exits().forEach(e -> exitsSeen.add(e.replaceAll(" to .*", "").replaceAll(" \\d+", "")));
                        continue;
                    }
                    kinds.merge(differences.get(0).replaceAll(":.*", "") + " at " + lastTable(walker), 1,
                            Integer::sum);
                    disagreements.add(entry.getKey() + ", host " + p.host() + ", in_port " + p.inPort() + ": "
                            + p.what() + "\n  " + String.join("\n  ", differences)
                            + "\n  packet: " + Verdict.flowText(p.packet(), p.inPort())
                            + "\n  walker:\n    " + walked.describe().replace("\n", "\n    ")
                            + "\n  ovs-vswitchd:\n    " + ovsTrace.strip().replace("\n", "\n    ")
                            + (flowsShown.add(entry.getKey() + p.host())
                                    ? "\n  flows of " + p.host() + ":" + numbered(flows.get(p.host())) : ""));
                }
            }
        }
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, disagreements.size() + " disagreements in " + probes + " packets over "
                + snapshots.size() + " snapshots, by kind: " + kinds + "\n\n" + String.join("\n\n", disagreements)
                + "\n");
        assertThat(disagreements).as("%d of %d packets over %d snapshots; by kind %s; all in %s; the first:%n%s",
                disagreements.size(), probes, snapshots.size(), kinds, REPORT.toAbsolutePath(),
                disagreements.isEmpty() ? "" : disagreements.get(0)).isEmpty();
        // The comparison is only worth something if the packets went everywhere a packet can go.
        assertThat(exitsSeen).as("kinds of exits seen").contains("port", "vxlan", "gre");
    }

    private static String lastTable(Verdict v) {
        return v.path().isEmpty() ? "start" : v.path().get(v.path().size() - 1).replaceAll(":.*", "");
    }

    private static String numbered(List<FlowRule> flows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < flows.size(); i++) {
            sb.append("\n    #").append(i + 1).append(' ').append(flows.get(i));
        }
        return sb.toString();
    }
}
