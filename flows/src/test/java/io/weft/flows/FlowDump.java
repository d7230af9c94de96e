package io.weft.flows;

import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.OfctlFormat;
import java.util.Comparator;
import java.util.List;

/** A host's flows as {@code ovs-ofctl dump-flows} prints them: by table, then priority (high first), then text. */
final class FlowDump {

    private FlowDump() {
    }

    static List<String> lines(List<FlowRule> flows) {
        return flows.stream()
                .sorted(Comparator.comparingInt(FlowRule::tableId)
                        .thenComparing(Comparator.comparingInt(FlowRule::priority).reversed())
                        .thenComparing(OfctlFormat::flow))
                .map(OfctlFormat::flow)
                .toList();
    }

    static String of(NetworkSnapshot snapshot) {
        StringBuilder sb = new StringBuilder();
        for (String host : snapshot.hosts().keySet()) {
            sb.append("# host ").append(host).append('\n');
            lines(FlowCompiler.compile(snapshot, host).flows()).forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }
}
