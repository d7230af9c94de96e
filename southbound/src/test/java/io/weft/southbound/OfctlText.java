package io.weft.southbound;

import io.weft.model.flow.FlowRule;
import io.weft.model.flow.OfctlFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Brings {@code ovs-ofctl dump-flows} lines and {@link OfctlFormat} renderings to one canonical
 * text, so the switch's tables can be compared with the desired rules: counters and ages dropped, OVS's protocol
 * shorthands ({@code arp}, {@code ip}, {@code icmp}) expanded, CIDR masks written as dotted masks, match fields
 * sorted.
 */
final class OfctlText {

    private OfctlText() {
    }

    static Set<String> dumpedFlows(String dump) {
        return dump.lines().filter(l -> l.contains("cookie=")).map(OfctlFormat::comparable)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> desiredFlows(Collection<FlowRule> rules) {
        return rules.stream().map(r -> OfctlFormat.comparable(OfctlFormat.flow(r)))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
