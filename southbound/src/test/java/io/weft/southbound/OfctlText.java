package io.weft.southbound;

import io.weft.model.Ipv4Address;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import io.weft.model.flow.OfctlFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Brings {@code ovs-ofctl dump-flows}/{@code dump-groups} lines and {@link OfctlFormat} renderings to one canonical
 * text, so the switch's tables can be compared with the desired rules: counters and ages dropped, OVS's protocol
 * shorthands ({@code arp}, {@code ip}, {@code icmp}) expanded, CIDR masks written as dotted masks, match fields
 * sorted.
 */
final class OfctlText {

    private OfctlText() {
    }

    static Set<String> dumpedFlows(String dump) {
        return dump.lines().filter(l -> l.contains("cookie=")).map(OfctlText::flow)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> desiredFlows(Collection<FlowRule> rules) {
        return rules.stream().map(r -> flow(OfctlFormat.flow(FlowTranslator.canonical(r))))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> dumpedGroups(String dump) {
        return dump.lines().filter(l -> l.contains("group_id=")).map(l -> l.trim().replaceAll("bucket_id:\\d+,", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> desiredGroups(Collection<GroupRule> groups) {
        return groups.stream().map(OfctlFormat::group).collect(Collectors.toCollection(TreeSet::new));
    }

    static String flow(String line) {
        String text = line.trim();
        int a = text.indexOf(" actions=");
        String head = text.substring(0, a);
        String actions = text.substring(a + " actions=".length());
        String cookie = "";
        String table = "table=0";
        String priority = "priority=32768";
        List<String> match = new ArrayList<>();
        for (String tok : head.split(",\\s*")) {
            if (tok.isEmpty() || tok.startsWith("duration=") || tok.startsWith("n_packets=")
                    || tok.startsWith("n_bytes=") || tok.startsWith("idle_age=") || tok.startsWith("hard_age=")
                    || tok.equals("reset_counts")) {
                continue;
            }
            if (tok.startsWith("cookie=")) {
                cookie = tok;
            } else if (tok.startsWith("table=")) {
                table = tok;
            } else if (tok.startsWith("priority=")) {
                priority = tok;
            } else {
                match.addAll(expand(tok));
            }
        }
        match.sort(null);
        return cookie + " " + table + " " + priority + " " + String.join(",", match) + " actions=" + actions;
    }

    private static List<String> expand(String tok) {
        switch (tok) {
            case "arp":
                return List.of("dl_type=0x806");
            case "ip":
                return List.of("dl_type=0x800");
            case "icmp":
                return List.of("dl_type=0x800", "nw_proto=1");
            default:
                break;
        }
        int eq = tok.indexOf('=');
        int slash = tok.indexOf('/');
        String name = eq < 0 ? tok : tok.substring(0, eq);
        if (slash > 0 && List.of("nw_src", "nw_dst", "arp_spa", "arp_tpa").contains(name)
                && !tok.substring(slash + 1).contains(".")) {
            int len = Integer.parseInt(tok.substring(slash + 1));
            String mask = Ipv4Address.of(len == 0 ? 0 : -1 << (32 - len)).toString();
            return List.of(len == 32 ? tok.substring(0, slash) : tok.substring(0, slash) + "/" + mask);
        }
        return List.of(tok);
    }
}
