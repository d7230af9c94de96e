package io.weft.bench;

import io.weft.model.Ipv4Address;
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
        lines.forEach(l -> out.merge(canonical(l), 1, Integer::sum));
        return out;
    }

    static String canonical(String line) {
        String text = line.trim();
        int a = text.indexOf(" actions=");
        String head = text.substring(0, a);
        String actions = text.substring(a + " actions=".length()).trim();
        String cookie = "cookie=0x0";
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
        List<String> acts = new ArrayList<>(List.of(actions.split(",")));
        if (acts.size() > 1) {
            acts.removeIf("drop"::equals);
        }
        return cookie + " " + table + " " + priority + " " + String.join(",", match) + " actions="
                + String.join(",", acts);
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
