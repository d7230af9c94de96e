package io.weft.flows;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one switch did with one packet, in terms that the walker's {@link Trace} and ovs-vswitchd's
 * {@code ofproto/trace} can both be read into: the flow matched in each table visited (as {@code #N}, its position
 * in the host's flows plus one: the cookie {@link OvsFabric} gives it), where copies left (a port, a tunnel with its
 * encapsulation and key, the controller) and, when exactly one copy left, its headers as it left.
 */
record Verdict(List<String> path, List<String> exits, Map<String, String> headers) {

    /** The walker's drop reason, and what ovs-vswitchd's invalid-TTL slow path comes to. */
    static final String TTL_EXPIRED = "TTL expired";
    private static final Pattern STEP = Pattern.compile("^\\s*(\\d+)\\. (.*)$");
    private static final Pattern COOKIE = Pattern.compile("cookie 0x([0-9a-f]+)$");
    private static final Pattern TUNNEL_DST = Pattern.compile("ipv4\\(src=[^,]+,dst=([0-9.]+)");
    private static final Pattern VXLAN_KEY = Pattern.compile("vxlan\\(flags=0x[0-9a-f]+,vni=(0x[0-9a-f]+)\\)");
    private static final Pattern GRE_KEY = Pattern.compile("gre\\(\\(flags=0x[0-9a-f]+,proto=0x[0-9a-f]+\\),key=(0x[0-9a-f]+)\\)");

    /** The headers compared, by their ovs-ofctl names, and how to bring a value to one spelling. */
    private static final Map<String, Function<String, String>> HEADERS = new LinkedHashMap<>();

    static {
        Function<String, String> mac = v -> MacAddress.parse(v).toString();
        Function<String, String> ip = v -> Ipv4Address.parse(v).toString();
        Function<String, String> number = v -> Long.toString(Long.decode(v));
        HEADERS.put("dl_src", mac);
        HEADERS.put("dl_dst", mac);
        HEADERS.put("arp_op", number);
        HEADERS.put("arp_spa", ip);
        HEADERS.put("arp_tpa", ip);
        HEADERS.put("arp_sha", mac);
        HEADERS.put("arp_tha", mac);
        HEADERS.put("nw_src", ip);
        HEADERS.put("nw_dst", ip);
        HEADERS.put("nw_ttl", number);
        HEADERS.put("icmp_type", number);
        HEADERS.put("icmp_code", number);
        HEADERS.put("tun_id", v -> "0x" + Long.toHexString(Long.decode(v)));
    }

    /** The packet in ovs-ofctl flow syntax, as {@code ofproto/trace} takes it. */
    static String flowText(Packet packet, long inPort) {
        StringBuilder sb = new StringBuilder("in_port=").append(inPort);
        packet.fields().forEach((field, value) -> sb.append(',').append(field.ofctlName()).append('=')
                .append(text(field, value)));
        if (packet.get(Field.ETH_TYPE).orElse(0) == EthType.IPV4) {
            sb.append(",nw_ttl=").append(packet.ttl());
        }
        return sb.toString();
    }

    private static String text(Field field, long value) {
        if (field.isMac()) {
            return new MacAddress(value).toString();
        }
        if (field.isIpv4Address()) {
            return Ipv4Address.of((int) value).toString();
        }
        return field == Field.TUNNEL_ID || field == Field.ETH_TYPE ? "0x" + Long.toHexString(value) : Long.toString(value);
    }

    /** The walker's trace on {@code host}, whose flows are numbered as OvsFabric loaded them. */
    static Verdict of(Trace trace, Map<FlowRule, Integer> numbers, NetworkSnapshot snapshot, String host) {
        List<String> path = new ArrayList<>();
        for (Trace.Step step : trace.steps()) {
            path.add("table " + step.table().number() + ": "
                    + step.flow().map(f -> "#" + numbers.get(f)).orElse("no flow"));
        }
        List<String> exits = new ArrayList<>();
        if (trace.outcome() instanceof Trace.Dropped d && d.reason().endsWith(TTL_EXPIRED)) {
            exits.add(TTL_EXPIRED);
        }
        Map<Long, String> names = new LinkedHashMap<>();
        snapshot.ofports().getOrDefault(host, Map.of()).forEach((name, ofport) -> names.put((long) ofport, name));
        for (Trace.Output out : trace.outputs()) {
            Optional<FabricWalker.TunnelEnd> tunnel = FabricWalker.tunnelEnd(snapshot, host, names.get(out.port()));
            exits.add(tunnel.isPresent()
                    ? tunnelExit(tunnel.get().encapsulation().ovsType(), tunnel.get().peer(),
                            out.packet().get(Field.TUNNEL_ID).isPresent()
                                    ? "0x" + Long.toHexString(out.packet().value(Field.TUNNEL_ID)) : "none")
                    : "port " + out.port());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (trace.outputs().size() == 1) {
            Packet p = trace.outputs().get(0).packet();
            p.fields().forEach((field, value) -> {
                if (HEADERS.containsKey(field.ofctlName())) {
                    headers.put(field.ofctlName(), text(field, value));
                }
            });
            if (p.get(Field.ETH_TYPE).orElse(0) == EthType.IPV4) {
                headers.put("nw_ttl", Integer.toString(p.ttl()));
            }
        }
        return new Verdict(path, exits, headers);
    }

    private static String tunnelExit(String type, String peer, String key) {
        return type + " to " + peer + " key " + key;
    }

    /**
     * ovs-vswitchd's {@code ofproto/trace} output: the tables of the first bridge, the datapath actions (local ports
     * mapped back to ofports, tunnel pushes read for their type, destination host and key) and the final flow.
     */
    static Verdict ofOvs(String trace, String host, OvsFabric fabric) {
        List<String> path = new ArrayList<>();
        String flow = null;
        String finalFlow = null;
        String actions = null;
        int bridges = 0;
        for (String line : trace.split("\n")) {
            if (line.startsWith("bridge(\"")) {
                bridges++;
            } else if (line.startsWith("Flow: ")) {
                flow = line.substring("Flow: ".length());
            } else if (line.startsWith("Final flow: ")) {
                finalFlow = line.substring("Final flow: ".length());
            } else if (line.startsWith("Datapath actions: ")) {
                actions = line.substring("Datapath actions: ".length());
            } else if (bridges == 1) {
                Matcher step = STEP.matcher(line);
                if (step.matches()) {
                    Matcher cookie = COOKIE.matcher(step.group(2));
                    path.add("table " + step.group(1) + ": "
                            + (cookie.find() ? "#" + Long.parseLong(cookie.group(1), 16) : step.group(2)));
                }
            }
        }
        if (actions == null || flow == null) {
            throw new IllegalStateException("not an ofproto/trace output:\n" + trace);
        }
        List<String> exits = new ArrayList<>();
        readActions(actions, host, fabric, exits, new String[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        if (exits.size() == 1) {
            String f = finalFlow == null || finalFlow.equals("unchanged") ? flow : finalFlow;
            for (String kv : f.split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && HEADERS.containsKey(kv.substring(0, eq))) {
                    headers.put(kv.substring(0, eq), HEADERS.get(kv.substring(0, eq)).apply(kv.substring(eq + 1)));
                }
            }
        }
        return new Verdict(path, exits, headers);
    }

    /** {@code pendingTunnel[0]}: the tunnel a tnl_push just encapsulated for, whose packet the next output sends. */
    private static void readActions(String actions, String host, OvsFabric fabric, List<String> exits,
                                    String[] pendingTunnel) {
        for (String action : topLevel(actions)) {
            if (action.equals("drop") || action.startsWith("set(") || action.startsWith("masked_set(")) {
                continue;
            }
            if (action.startsWith("clone(") && action.endsWith(")")) {
                readActions(action.substring("clone(".length(), action.length() - 1), host, fabric, exits,
                        pendingTunnel);
            } else if (action.startsWith("tnl_push(")) {
                pendingTunnel[0] = tunnel(action, fabric);
            } else if (action.matches("\\d+")) {
                if (pendingTunnel[0] != null) {
                    exits.add(pendingTunnel[0]);
                    pendingTunnel[0] = null;
                } else {
                    long odp = Long.parseLong(action);
                    exits.add(fabric.ofport(host, odp).map(p -> "port " + p).orElse("datapath port " + odp));
                }
            } else if (action.startsWith("userspace(") && action.contains("reason=2,dont_send=1")) {
                // dec_ttl at TTL 1: up to ovs-vswitchd, which sends no packet-in (OpenFlow 1.3's default
                // asynchronous configuration leaves invalid-TTL packet-ins out) and drops it.
                exits.add(TTL_EXPIRED);
            } else if (action.startsWith("userspace(")) {
                exits.add("controller");
            } else {
                exits.add("unknown datapath action " + action);
            }
        }
    }

    private static String tunnel(String push, OvsFabric fabric) {
        Matcher dst = TUNNEL_DST.matcher(push);
        Matcher vxlan = VXLAN_KEY.matcher(push);
        Matcher gre = GRE_KEY.matcher(push);
        String peer = dst.find() ? fabric.hostAt(dst.group(1)).orElse(dst.group(1)) : "?";
        if (vxlan.find()) {
            return tunnelExit("vxlan", peer, vxlan.group(1));
        }
        if (gre.find()) {
            return tunnelExit("gre", peer, gre.group(1));
        }
        return "unknown tunnel " + push;
    }

    /** Splits a datapath action list at the commas outside parentheses. */
    private static List<String> topLevel(String actions) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < actions.length(); i++) {
            char c = actions.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(actions.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(actions.substring(start).strip());
        return parts;
    }

    /** How {@code ovs} differs from this (the walker's) verdict: empty when they agree. */
    List<String> differencesFrom(Verdict ovs) {
        List<String> differences = new ArrayList<>();
        if (!path.equals(ovs.path)) {
            differences.add("path: walker " + path + ", ovs " + ovs.path);
        }
        if (!exits.equals(ovs.exits)) {
            differences.add("exits: walker " + exits + ", ovs " + ovs.exits);
        } else {
            headers.forEach((name, value) -> {
                if (!value.equals(ovs.headers.get(name))) {
                    differences.add(name + ": walker " + value + ", ovs " + ovs.headers.get(name));
                }
            });
        }
        return differences;
    }
}
