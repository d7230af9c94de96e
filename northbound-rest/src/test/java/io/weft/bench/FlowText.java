package io.weft.bench;

import io.weft.model.flow.OfctlFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Brings an {@code ovs-ofctl dump-flows} line and a line of Weft's desired flows ({@code GET /hosts/{h}/flows
 * ?format=text}, rendered by OfctlFormat) to one canonical text: counters and ages dropped, OVS's protocol shorthands
 * expanded, CIDR masks dotted, match fields sorted, an empty apply-actions next to other instructions dropped (a
 * switch does not report it). Same rules as the southbound's ITs use.
 */
final class FlowText {

    private FlowText() {
    }

    /** Canonical flow -> how many times it occurs. */
    static Map<String, Integer> dumped(String dump) {
        return count(dump.lines().filter(l -> l.contains("cookie=") && l.contains(" actions=")).toList());
    }

    /** The "# desired (N flows)" section of the REST text reply. */
    static Map<String, Integer> desired(String restText) {
        return section(restText, "# desired (");
    }

    static Map<String, Integer> installedView(String restText) {
        return section(restText, "# installed (");
    }

    private static Map<String, Integer> section(String restText, String header) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String l : restText.split("\n")) {
            if (l.startsWith("#")) {
                in = l.startsWith(header);
            } else if (in && !l.isBlank()) {
                lines.add(l);
            }
        }
        return count(lines);
    }

    private static Map<String, Integer> count(List<String> lines) {
        Map<String, Integer> out = new TreeMap<>();
        lines.forEach(l -> out.merge(OfctlFormat.comparable(l), 1, Integer::sum));
        return out;
    }

}
