package io.weft.model.flow;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders rules in the syntax of {@code ovs-ofctl -O OpenFlow13 dump-flows}, so that what Weft says it wants reads
 * like what the operator sees on the switch (without the counters).
 */
public final class OfctlFormat {

    private OfctlFormat() {
    }

    public static String flow(FlowRule rule) {
        StringBuilder sb = new StringBuilder();
        sb.append("cookie=0x").append(Long.toHexString(rule.cookie()))
                .append(", table=").append(rule.tableId())
                .append(", priority=").append(rule.priority());
        String match = match(rule.match());
        if (!match.isEmpty()) {
            sb.append(',').append(match);
        }
        sb.append(" actions=").append(instructions(rule.instructions()));
        return sb.toString();
    }

    /** The meter as {@code ovs-ofctl add-meter} takes it, e.g. {@code meter=1,pktps,burst,band=type=drop,rate=1000,burst_size=200}. */
    public static String meter(Meter m) {
        return "meter=" + m.id() + ",pktps,burst,band=type=drop,rate=" + m.packetsPerSecond() + ",burst_size="
                + m.burstPackets();
    }

    /** The match alone, e.g. {@code in_port=10,dl_src=02:42:0a:41:0a:02}; empty when it matches everything. */
    public static String match(Match match) {
        StringBuilder sb = new StringBuilder();
        for (FieldMatch f : match.fields()) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(f.field().ofctlName()).append('=').append(value(f.field(), f.value()));
            if (!f.isExact()) {
                sb.append('/').append(mask(f.field(), f.mask()));
            }
        }
        return sb.toString();
    }

    /**
     * One flow line, either from {@code ovs-ofctl dump-flows} or from {@link #flow}, in a canonical text, so that what
     * a switch holds compares with what Weft wants: counters and ages dropped, OVS's protocol shorthands
     * ({@code arp}, {@code ip}, {@code icmp}, {@code tcp}, {@code udp}) expanded, CIDR masks written as dotted masks, match fields sorted, a
     * missing cookie or table or priority given its default, and a {@code drop} beside other instructions (an empty
     * apply-actions, which a switch does not report) removed.
     */
    public static String comparable(String line) {
        String text = line.trim();
        int a = text.indexOf(" actions=");
        if (a < 0) {
            throw new IllegalArgumentException("not a flow line (no actions=): " + line);
        }
        String head = text.substring(0, a);
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
                match.addAll(expandShorthand(tok));
            }
        }
        match.sort(null);
        List<String> acts = new ArrayList<>(List.of(text.substring(a + " actions=".length()).trim().split(",")));
        if (acts.size() > 1) {
            acts.removeIf("drop"::equals);
        }
        return cookie + " " + table + " " + priority + " " + String.join(",", match) + " actions="
                + String.join(",", acts);
    }

    private static List<String> expandShorthand(String tok) {
        switch (tok) {
            case "arp":
                return List.of("dl_type=0x806");
            case "ip":
                return List.of("dl_type=0x800");
            case "icmp":
                return List.of("dl_type=0x800", "nw_proto=1");
            case "tcp":
                return List.of("dl_type=0x800", "nw_proto=6");
            case "udp":
                return List.of("dl_type=0x800", "nw_proto=17");
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

    /** The instructions as {@code actions=} shows them, e.g. {@code write_metadata:0x65/0xffffff,goto_table:20}. */
    public static String instructions(List<Instruction> instructions) {
        if (instructions.isEmpty()) {
            return "drop";
        }
        return instructions.stream().map(OfctlFormat::instruction).collect(Collectors.joining(","));
    }

    private static String instruction(Instruction i) {
        if (i instanceof Instruction.ApplyActions a) {
            return a.actions().isEmpty() ? "drop" : actions(a.actions());
        } else if (i instanceof Instruction.WriteMetadata w) {
            return "write_metadata:0x" + Long.toHexString(w.value())
                    + (w.mask() == -1L ? "" : "/0x" + Long.toHexString(w.mask()));
        } else if (i instanceof Instruction.GotoTable g) {
            return "goto_table:" + g.tableId();
        } else if (i instanceof Instruction.Meter m) {
            return "meter:" + m.meterId();
        }
        throw new IllegalStateException("unknown instruction " + i);
    }

    public static String actions(List<Action> actions) {
        return actions.stream().map(OfctlFormat::action).collect(Collectors.joining(","));
    }

    static String action(Action a) {
        if (a instanceof Action.Output o) {
            if (o.port() == Action.PORT_IN_PORT) {
                return "IN_PORT";
            }
            if (o.port() == Action.PORT_CONTROLLER) {
                return "CONTROLLER:65535";
            }
            return "output:" + o.port();
        } else if (a instanceof Action.SetField s) {
            String v = s.field() == Field.TUNNEL_ID ? "0x" + Long.toHexString(s.value()) : value(s.field(), s.value());
            return "set_field:" + v + "->" + (s.field() == Field.TUNNEL_ID ? "tun_id" : setFieldName(s.field()));
        } else if (a instanceof Action.DecNwTtl) {
            return "dec_ttl";
        } else if (a instanceof Action.Group g) {
            return "group:" + g.groupId();
        }
        throw new IllegalStateException("unknown action " + a);
    }

    /** ovs-ofctl prints set_field targets with their OXM names. */
    private static String setFieldName(Field f) {
        return switch (f) {
            case ETH_DST -> "eth_dst";
            case ETH_SRC -> "eth_src";
            case IPV4_SRC -> "ip_src";
            case IPV4_DST -> "ip_dst";
            case ICMPV4_TYPE -> "icmp_type";
            default -> f.ofctlName();
        };
    }

    static String value(Field f, long v) {
        if (f.isMac()) {
            return new MacAddress(v).toString();
        }
        if (f.isIpv4Address()) {
            return Ipv4Address.of((int) v).toString();
        }
        return switch (f) {
            case ETH_TYPE, METADATA, TUNNEL_ID -> "0x" + Long.toHexString(v);
            default -> Long.toString(v);
        };
    }

    private static String mask(Field f, long m) {
        if (f.isMac()) {
            return new MacAddress(m).toString();
        }
        if (f.isIpv4Address()) {
            return Ipv4Address.of((int) m).toString();
        }
        return "0x" + Long.toHexString(m);
    }
}
