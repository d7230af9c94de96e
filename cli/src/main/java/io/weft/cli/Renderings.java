package io.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** What the commands print in table format, computed from the API's JSON alone. */
final class Renderings {

    /** The start of a flow's ovs-ofctl text that the columns before it already say. */
    private static final Pattern SAID_BY_COLUMNS =
            Pattern.compile("^cookie=0x[0-9a-f]+, table=\\d+, priority=\\d+,?");

    private Renderings() {
    }

    static Table networks(JsonNode networks) {
        Table t = new Table("NAME", "VNI", "ENCAP", "SUBNETS", "ENDPOINTS");
        for (JsonNode n : networks) {
            t.row(n.path("name").asText(), n.path("vni").asInt(), n.path("encap").asText(),
                    elements(n.path("subnets")).stream().map(s -> s.path("cidr").asText())
                            .collect(Collectors.joining(",")),
                    n.path("endpoints").asInt());
        }
        return t;
    }

    /** The leader and the store on one line, then one row per replica. */
    static java.util.List<String> cluster(JsonNode cluster) {
        JsonNode leader = cluster.path("leader");
        JsonNode store = cluster.path("store");
        String head = "leader: " + (leader.isObject() ? leader.path("id").asText() + " (generation "
                + leader.path("generation").asLong() + ")" : "none") + "; store: " + store.path("kind").asText()
                + ", " + (store.path("writable").asBoolean() ? "writable" : "not writable: " + store.path("detail")
                .asText());
        Table t = new Table("ID", "ROLE", "REST", "OPENFLOW", "STARTED");
        for (JsonNode r : cluster.path("replicas")) {
            String id = r.path("id").asText();
            boolean leads = leader.isObject() && leader.path("id").asText().equals(id);
            String role = cluster.path("role").asText().equals("sole") ? "sole" : leads ? "leader" : "follower";
            t.row(id + (id.equals(cluster.path("self").asText()) ? " *" : ""), role, r.path("restUrl").asText(),
                    r.path("openflowTarget").asText(), r.path("startedAt").asText());
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        lines.add(head);
        lines.addAll(t.lines());
        return lines;
    }

    static Table hosts(JsonNode hosts) {
        Table t = new Table("NAME", "TUNNEL IP", "DATAPATH", "OVSDB", "OPENFLOW", "FLOWS", "IN SYNC");
        for (JsonNode h : hosts) {
            JsonNode s = h.path("status");
            boolean known = s.isObject();
            t.row(h.path("name").asText(), h.path("tunnelIp").asText(), h.path("datapathType").asText(),
                    known ? upOrDown(s.path("ovsdbConnected")) : null,
                    known ? upOrDown(s.path("openflowConnected")) : null,
                    known ? s.path("flowsInstalled").asInt() + "/" + s.path("flowsDesired").asInt() : null,
                    known ? (s.path("inSync").asBoolean() ? "yes" : "no") : null);
        }
        return t;
    }

    static Table endpoints(JsonNode endpoints) {
        Table t = new Table("NAME", "NETWORK", "HOST", "PORT", "IP", "MAC", "STATE", "NAMES");
        for (JsonNode e : endpoints) {
            t.row(e.path("name").asText(), e.path("network").asText(), e.path("host").asText(),
                    e.path("port").asText(), e.path("ip").asText() + "/" + e.path("prefixLength").asInt(),
                    e.path("mac").asText(), e.path("binding").asText(null), dnsNames(e));
        }
        return t;
    }

    /**
     * The names an endpoint answers to in DNS besides its own: its hostname (what a reverse lookup answers) first,
     * then its aliases, each once (DNS compares them without case); null when it has none.
     */
    private static String dnsNames(JsonNode endpoint) {
        Map<String, String> names = new LinkedHashMap<>();
        if (endpoint.hasNonNull("hostname")) {
            String hostname = endpoint.path("hostname").asText();
            names.put(hostname.toLowerCase(Locale.ROOT), hostname);
        }
        for (JsonNode alias : endpoint.path("aliases")) {
            names.putIfAbsent(alias.asText().toLowerCase(Locale.ROOT), alias.asText());
        }
        return names.isEmpty() ? null : String.join(",", names.values());
    }

    /**
     * A host's flows, desired and installed side by side: each flow once, with whether the switch holds it as
     * desired ({@code ok}), lacks it ({@code missing}) or holds it undesired ({@code unexpected}).
     */
    static List<String> flows(JsonNode flows) {
        Map<String, JsonNode> desired = byFlow(flows.path("desired"));
        Map<String, JsonNode> installed = byFlow(flows.path("installed"));
        Map<String, JsonNode> all = new LinkedHashMap<>(desired);
        installed.forEach(all::putIfAbsent);
        Table t = new Table("TABLE", "PRIORITY", "COOKIE", "STATE", "FLOW");
        all.values().stream()
                .sorted(Comparator.<JsonNode>comparingInt(f -> f.path("table").asInt())
                        .thenComparing(f -> -f.path("priority").asInt())
                        .thenComparing(f -> f.path("flow").asText()))
                .forEach(f -> {
                    String key = f.path("flow").asText();
                    String state = !installed.containsKey(key) ? "missing" : !desired.containsKey(key) ? "unexpected"
                            : "ok";
                    t.row(f.path("table").asInt(), f.path("priority").asInt(), f.path("cookie").asText(), state,
                            SAID_BY_COLUMNS.matcher(key).replaceFirst("").strip());
                });
        List<String> lines = new ArrayList<>();
        lines.add("host " + flows.path("host").asText() + ": " + (flows.path("inSync").asBoolean() ? "in sync"
                : "NOT in sync") + ", " + desired.size() + " flows desired, " + installed.size() + " installed");
        lines.addAll(t.lines());
        return lines;
    }

    /** A packet's walk (GET /api/v1/trace): the verdict and its reason, each step, where desired and installed differ. */
    static List<String> trace(JsonNode trace) {
        List<String> lines = new ArrayList<>();
        String proto = trace.path("proto").asText("");
        lines.add(trace.path("network").asText() + ": " + trace.path("from").asText() + " -> "
                + trace.path("to").asText() + (proto.isEmpty() ? "" : " (" + proto + ")") + ": "
                + trace.path("verdict").asText().toUpperCase(Locale.ROOT) + delivered(trace));
        if (trace.hasNonNull("reason")) {
            lines.add(trace.path("reason").asText());
        }
        List<JsonNode> steps = elements(trace.path("steps"));
        if (!steps.isEmpty()) {
            lines.add("");
            Table t = new Table("HOST", "TABLE", "PRIORITY", "VNI", "EXPLANATION");
            for (JsonNode s : steps) {
                String table = s.path("table").asText() + (s.hasNonNull("tableName")
                        ? " " + s.path("tableName").asText() : "");
                t.row(s.path("host").asText(), table, s.path("priority").asText(),
                        s.hasNonNull("vni") ? s.path("vni").asText() : null, s.path("explanation").asText());
            }
            lines.addAll(t.lines());
        }
        List<JsonNode> differences = elements(trace.path("differences"));
        if (!differences.isEmpty()) {
            lines.add("");
            lines.add("desired and installed flows differ:");
            for (JsonNode d : differences) {
                for (JsonNode f : d.path("missing")) {
                    lines.add("  " + d.path("host").asText() + " lacks        " + f.asText());
                }
                for (JsonNode f : d.path("unexpected")) {
                    lines.add("  " + d.path("host").asText() + " also holds   " + f.asText());
                }
            }
        }
        return lines;
    }

    private static String delivered(JsonNode trace) {
        JsonNode to = trace.path("deliveredTo");
        if (!to.isObject()) {
            return "";
        }
        return " to " + to.path("endpoint").asText() + " on " + to.path("host").asText() + " (port "
                + to.path("port").asText() + ")";
    }

    /**
     * One event of GET /api/v1/events as one line: when, what, and its other fields as {@code key=value} in the
     * order the controller sent them (lists joined with commas).
     */
    static String event(String type, JsonNode data) {
        StringBuilder line = new StringBuilder();
        line.append(data.path("at").asText("-")).append("  ").append(type);
        data.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("at")) {
                JsonNode v = f.getValue();
                String text = v.isArray() ? elements(v).stream().map(JsonNode::asText)
                        .collect(Collectors.joining(",")) : v.isValueNode() ? v.asText() : v.toString();
                line.append("  ").append(f.getKey()).append('=').append(text.contains(" ") ? '"' + text + '"'
                        : text);
            }
        });
        return line.toString();
    }

    private static Map<String, JsonNode> byFlow(JsonNode flows) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode f : flows) {
            out.put(f.path("flow").asText(), f);
        }
        return out;
    }

    static List<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static String upOrDown(JsonNode connected) {
        return connected.asBoolean() ? "up" : "down";
    }
}
