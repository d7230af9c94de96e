package io.weft.testbed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.model.Encapsulation;
import io.weft.model.Subnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the launcher builds: either a named topology of {@code weftbed/topologies.py}
 * ({@code "twosites"}, {@code "mesh,hosts=4,containers=2,networks=2"}) or an explicit one made with {@link #builder()}.
 * The explicit form is the same JSON the Python topologies are written in.
 */
public final class TopologySpec {

    /** An underlay L2 segment (a Linux bridge in its own namespace). */
    public record Segment(String name, String cidr) { }

    /** A router's leg on a segment; {@code ip} is {@code a.b.c.d/prefix}. */
    public record RouterInterface(String segment, String ip) { }

    /** A static route: {@code dst} is a CIDR, {@code via} a next hop. */
    public record Route(String dst, String via) { }

    /** A namespace with ip_forward joining segments. */
    public record Router(String name, List<RouterInterface> interfaces, List<Route> routes) {
        public Router {
            interfaces = List.copyOf(interfaces);
            routes = routes == null ? List.of() : List.copyOf(routes);
        }
    }

    /** An emulated Docker host; {@code ip} ({@code a/p}) is its tunnel IP on br-phy; gateway may be null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Host(String name, String segment, String ip, String gateway) { }

    /** A subnet of an overlay network and its gateway (answered by Weft's distributed router). */
    public record NetworkSubnet(String cidr, String gateway) {
        public Subnet toModel() {
            return Subnet.of(cidr, gateway);
        }
    }

    /** An overlay network the containers are meant to join: what a test announces to Weft. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Network(String name, int vni, String encapsulation, int mtu, List<NetworkSubnet> subnets) {
        public Network {
            subnets = List.copyOf(subnets);
        }

        public io.weft.model.Network toModel() {
            return new io.weft.model.Network(name, vni, Encapsulation.parse(encapsulation), mtu,
                    subnets.stream().map(NetworkSubnet::toModel).toList());
        }
    }

    /** A container namespace; {@code ip} is {@code a/p}; gateway and mac may be null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Container(String name, String host, String network, String ip, String gateway, String mac) { }

    /** The explicit form, serialised as the launcher's spec. */
    public record Explicit(List<Segment> segments, List<Router> routers, List<Host> hosts,
                           List<Network> networks, List<Container> containers) {
        public Explicit {
            segments = List.copyOf(segments);
            routers = List.copyOf(routers);
            hosts = List.copyOf(hosts);
            networks = List.copyOf(networks);
            containers = List.copyOf(containers);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String named;
    private final Explicit explicit;

    private TopologySpec(String named, Explicit explicit) {
        this.named = named;
        this.explicit = explicit;
    }

    /** A topology of {@code weftbed/topologies.py}: twosites, redgreen, routed, onelan,hosts=N, mesh,hosts=N,... */
    public static TopologySpec named(String nameAndParameters) {
        Objects.requireNonNull(nameAndParameters, "topology name");
        if (nameAndParameters.isBlank() || nameAndParameters.contains("\n")) {
            throw new IllegalArgumentException("topology name must be one non-empty line: '" + nameAndParameters + "'");
        }
        return new TopologySpec(nameAndParameters.strip(), null);
    }

    /** h1 (172.31.1.0/24) and h2 (192.168.1.0/24) behind routers r1, r2; network blue; c1 on h1, c2 on h2. */
    public static TopologySpec twosites() {
        return named("twosites");
    }

    /** {@code hosts} hosts on one segment (lan1, 172.31.1.0/24), one container each on network net1. */
    public static TopologySpec onelan(int hosts) {
        return named("onelan,hosts=" + hosts);
    }

    /** Networks red and green, both 10.65.10.0/24, across h1 and h2. */
    public static TopologySpec redgreen() {
        return named("redgreen");
    }

    /** One network with subnets 10.65.10.0/24 and 10.65.20.0/24 across h1 and h2. */
    public static TopologySpec routed() {
        return named("routed");
    }

    /** {@code hosts} hosts on one segment, {@code containers} per host spread round-robin over {@code networks}. */
    public static TopologySpec mesh(int hosts, int containers, int networks) {
        return named("mesh,hosts=" + hosts + ",containers=" + containers + ",networks=" + networks);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The single line the launcher reads as its spec. */
    String launcherLine() {
        if (named != null) {
            return named;
        }
        try {
            return JSON.writeValueAsString(explicit);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise topology spec", e);
        }
    }

    @Override
    public String toString() {
        return launcherLine();
    }

    /** Collects an explicit topology; the launcher validates it (names, segments, addresses) before building. */
    public static final class Builder {
        private final List<Segment> segments = new ArrayList<>();
        private final List<Router> routers = new ArrayList<>();
        private final List<Host> hosts = new ArrayList<>();
        private final List<Network> networks = new ArrayList<>();
        private final List<Container> containers = new ArrayList<>();

        private Builder() { }

        public Builder segment(String name, String cidr) {
            segments.add(new Segment(name, cidr));
            return this;
        }

        public Builder router(String name, List<RouterInterface> interfaces, List<Route> routes) {
            routers.add(new Router(name, interfaces, routes));
            return this;
        }

        /** A host without a gateway: it reaches only its own segment. */
        public Builder host(String name, String segment, String ipWithPrefix) {
            return host(name, segment, ipWithPrefix, null);
        }

        /** A host that reaches every other segment through {@code gateway}. */
        public Builder host(String name, String segment, String ipWithPrefix, String gateway) {
            hosts.add(new Host(name, segment, ipWithPrefix, gateway));
            return this;
        }

        public Builder network(String name, int vni, NetworkSubnet... subnets) {
            networks.add(new Network(name, vni, "vxlan", 1400, List.of(subnets)));
            return this;
        }

        public Builder network(Network network) {
            networks.add(network);
            return this;
        }

        public Builder container(String name, String host, String network, String ipWithPrefix, String gateway,
                                 String mac) {
            containers.add(new Container(name, host, network, ipWithPrefix, gateway, mac));
            return this;
        }

        public TopologySpec build() {
            return new TopologySpec(null, new Explicit(segments, routers, hosts, networks, containers));
        }
    }
}
