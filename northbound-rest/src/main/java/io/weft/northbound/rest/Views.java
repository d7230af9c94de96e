package io.weft.northbound.rest;

import io.weft.model.DatapathId;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.weft.controller.plain.PortRef;
import io.weft.controller.plain.Topology;
import io.weft.controller.trace.PacketTrace;
import io.weft.controller.view.EndpointCounters;
import io.weft.controller.view.HostStatus;
import io.weft.model.Endpoint;
import io.weft.model.Host;
import io.weft.model.Network;
import io.weft.model.Subnet;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.OfctlFormat;
import io.weft.controller.cluster.ClusterView;
import io.weft.controller.cluster.ReplicaInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API's replies: plain strings and numbers, no Java types leaking out. */
final class Views {

    private Views() {
    }

    record HostView(String name, String tunnelIp, String ovsdb, String datapathType, String openflow,
                    StatusView status) {

        static HostView of(Host h, StatusView status) {
            return new HostView(h.name(), h.tunnelIp().toString(), h.ovsdbTarget().orElse(null),
                    h.datapathType().ovsValue(), h.openflowTarget().orElse(null), status);
        }
    }

    /** Null-free fields except the optional ones, which are left out when absent. */
    record StatusView(boolean ovsdbConnected, boolean openflowConnected, String datapathId, List<String> tunnelPorts,
                      String lastSync, int flowsDesired, int flowsInstalled, boolean inSync, String lastError,
                      long appliedRevision, DriftView lastDrift, long driftsRepaired, long flowModsSent) {

        static StatusView of(HostStatus s) {
            return new StatusView(s.ovsdbConnected(), s.openflowConnected(), s.datapathId().orElse(null),
                    s.tunnelPorts(), s.lastSync().map(Object::toString).orElse(null), s.flowsDesired(),
                    s.flowsInstalled(), s.inSync(), s.lastError().orElse(null), s.appliedRevision(),
                    s.lastDrift().map(d -> new DriftView(d.at().toString(), d.what())).orElse(null),
                    s.driftsRepaired(), s.flowModsSent());
        }
    }

    /** Flows someone else changed on the host's switch, found by an audit and repaired. */
    record DriftView(String at, String what) {
    }

    record SubnetView(String cidr, String gateway) {
        static SubnetView of(Subnet s) {
            return new SubnetView(s.cidr().toString(), s.gateway().toString());
        }
    }

    record NetworkView(String name, int vni, String encap, int mtu, List<SubnetView> subnets, int endpoints) {
        static NetworkView of(Network n, int endpoints) {
            return new NetworkView(n.name(), n.vni(), n.encapsulation().ovsType(), n.mtu(),
                    n.subnets().stream().map(SubnetView::of).toList(), endpoints);
        }
    }

    /**
     * @param binding see {@link Binding}
     * @param ofport  the OpenFlow port the endpoint's interface got on its host, once it is on br-int
     * @param aliases the other names it answers to in its network's DNS
     * @param hostname the name a reverse lookup of its address answers; absent when that is its own name
     */
    record EndpointView(String name, String network, String host, String port, String ip, String mac,
                        String gateway, int mtu, int prefixLength, String binding, Integer ofport,
                        List<String> aliases, String hostname) {

        static EndpointView of(Endpoint e, Network n, Binding.State binding, Integer ofport) {
            Subnet s = n.subnetOf(e.ip()).orElseThrow();
            return new EndpointView(e.id().name(), e.network(), e.host(), e.port(), e.ip().toString(),
                    e.mac().toString(), s.gateway().toString(), n.mtu(), s.cidr().prefixLength(), binding.text(),
                    ofport, e.aliases(), e.hostname().orElse(null));
        }
    }

    /** GET /api/v1/trace; optional fields are left out when absent. */
    record TraceView(String network, String from, String to, String proto, String verdict, String reason,
                     DeliveredView deliveredTo, List<StepView> steps, List<DifferenceView> differences) {

        static TraceView of(PacketTrace t) {
            return new TraceView(t.network(), t.from(), t.to(), t.proto(),
                    t.verdict().name().toLowerCase(java.util.Locale.ROOT), t.reason(),
                    t.deliveredTo().map(d -> new DeliveredView(d.host(), d.endpoint(), d.port())).orElse(null),
                    t.steps().stream().map(StepView::of).toList(),
                    t.differences().stream().map(d -> new DifferenceView(d.host(), d.missing(), d.unexpected()))
                            .toList());
        }
    }

    record DeliveredView(String host, String endpoint, String port) {
    }

    record StepView(String host, int table, String tableName, Integer priority, String match, String actions,
                    String cookie, String network, String endpoint, String explanation, Integer vni) {

        static StepView of(PacketTrace.Step s) {
            return new StepView(s.host(), s.table(), s.tableName(),
                    s.priority().isPresent() ? s.priority().getAsInt() : null, s.match(), s.actions(),
                    s.cookie().orElse(null), s.network().orElse(null), s.endpoint().orElse(null), s.explanation(),
                    s.vni().isPresent() ? s.vni().getAsInt() : null);
        }
    }

    record DifferenceView(String host, List<String> missing, List<String> unexpected) {
    }

    /**
     * GET of one endpoint: the endpoint and its traffic, read from its host's switch; {@code counters} is null, with
     * why in {@code countersUnavailable}, when that host cannot be read.
     */
    record EndpointDetailView(@JsonUnwrapped EndpointView endpoint,
                              @JsonInclude(JsonInclude.Include.ALWAYS) CountersView counters,
                              String countersUnavailable) {
    }

    /** Packets and bytes the endpoint sent (entering from its port) and was delivered, at the time of the read. */
    record CountersView(long txPackets, long txBytes, long rxPackets, long rxBytes, String at) {
        static CountersView of(EndpointCounters c) {
            return new CountersView(c.txPackets(), c.txBytes(), c.rxPackets(), c.rxBytes(), c.at().toString());
        }
    }

    record FlowView(int table, int priority, String cookie, String flow) {
        static FlowView of(FlowRule r) {
            return new FlowView(r.tableId(), r.priority(), "0x" + Long.toHexString(r.cookie()), OfctlFormat.flow(r));
        }
    }

    record FlowsView(String host, boolean inSync, List<FlowView> desired, List<FlowView> installed) {
    }

    record SwitchView(String datapathId, List<PortView> ports, boolean inSync, String openflow, String explanation) {
    }

    record PortView(long ofport, String name) {
    }

    /** GET /api/v1/topology: the plain switches as Weft discovered them. */
    record TopologyView(List<TopologySwitchView> switches, List<LinkView> links, List<LearnedHostView> hosts) {
        static TopologyView of(Topology t) {
            return new TopologyView(t.switches().stream().map(dpid -> new TopologySwitchView(DatapathId.hex(dpid),
                            t.portsOf(dpid).stream().map(p -> new RoleView(p.port(), role(t, p))).toList())).toList(),
                    t.links().stream().map(l -> new LinkView(EndView.of(l.a()), EndView.of(l.b()))).toList(),
                    t.hosts().values().stream().map(h -> new LearnedHostView(h.mac().toString(),
                            h.ip().map(Object::toString).orElse(null), EndView.of(h.at()))).toList());
        }

        private static String role(Topology t, PortRef p) {
            return t.isLinkPort(p) ? "link" : t.probing().contains(p) ? "probing" : "edge";
        }
    }

    record TopologySwitchView(String datapathId, List<RoleView> ports) {
    }

    /** @param role {@code link} (LLDP found a switch there), {@code edge} (hosts may sit there), {@code probing} */
    record RoleView(long ofport, String role) {
    }

    record LinkView(EndView a, EndView b) {
    }

    record EndView(String datapathId, long ofport) {
        static EndView of(PortRef p) {
            return new EndView(DatapathId.hex(p.dpid()), p.port());
        }
    }

    /** @param ip null until one of its packets (ARP, IPv4) said it */
    record LearnedHostView(String mac, String ip, EndView at) {
    }


    record HealthView(String status, long revision, int hosts, int networks, int endpoints) {
    }

    /** GET /api/v1: where to go from here, for a newcomer and for clients that follow links. */
    /** {@code GET /api/v1/cluster}: the replicas as the answering one sees them. */
    record ClusterJson(String self, String role, LeaderJson leader, List<ReplicaInfo> replicas, StoreJson store) {
        record LeaderJson(String id, long generation) {
        }

        record StoreJson(String kind, boolean writable, String detail) {
        }

        static ClusterJson of(ClusterView v) {
            return new ClusterJson(v.self(), v.role(), v.leader().map(l -> new LeaderJson(l.id(), l.generation()))
                    .orElse(null), v.replicas(), new StoreJson(v.store(), v.health().writable(), v.health().detail()));
        }
    }

    record IndexView(String name, String description, Map<String, String> links) {
        static final IndexView LINKS = new IndexView("Weft", "REST API of Weft, an SDN controller for container "
                + "overlay networks on Open vSwitch; every operation is described in openapi",
                linksOf("openapi", RestServer.BASE + "/openapi.json", "health", RestServer.BASE + "/health",
                        "networks", RestServer.BASE + "/networks", "hosts", RestServer.BASE + "/hosts",
                        "topology", RestServer.BASE + "/topology", "switches", RestServer.BASE + "/switches",
                        "cluster", RestServer.BASE + "/cluster",
                        "events", RestServer.BASE + "/events", "trace", RestServer.BASE + "/trace",
                        "metrics", "/metrics", "page", "/"));

        private static Map<String, String> linksOf(String... nameAndPath) {
            Map<String, String> links = new LinkedHashMap<>();
            for (int i = 0; i < nameAndPath.length; i += 2) {
                links.put(nameAndPath[i], nameAndPath[i + 1]);
            }
            return Collections.unmodifiableMap(links);
        }
    }
}
