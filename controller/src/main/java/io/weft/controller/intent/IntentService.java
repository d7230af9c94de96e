package io.weft.controller.intent;

import io.weft.controller.store.Mutation;
import io.weft.controller.store.Store;
import io.weft.controller.store.StoreState;
import io.weft.model.ConnectionTarget;
import io.weft.model.AddressRuns;
import io.weft.model.DatapathType;
import io.weft.model.Encapsulation;
import io.weft.model.DnsLabel;
import io.weft.model.Endpoint;
import io.weft.model.EndpointIndex;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.Ipv4Cidr;
import io.weft.model.MacAddress;
import io.weft.model.Names;
import io.weft.model.Network;
import io.weft.model.Subnet;
import io.weft.routing.SnapshotCheck;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The single place where requests to change the intent are validated and turned into store mutations.
 *
 * <p>Each method checks the request against the state its change applies to ({@link Store#update}), so two
 * concurrent announcements never get the same IP, and a refused request commits nothing. Every method returns the
 * committed state, whose revision is what a caller waits for to see the change installed.
 */
public final class IntentService {

    public static final int DEFAULT_UNDERLAY_MTU = 1500;
    /** Docker gives a container its name and its --network-alias values; a few dozen is already unusual. */
    private static final int MAX_ALIASES = 64;

    private final Store store;
    private final int underlayMtu;
    private final boolean tls;

    public IntentService(Store store) {
        this(store, DEFAULT_UNDERLAY_MTU);
    }

    /** @param underlayMtu MTU of the hosts' underlay links; network MTUs default to it minus the tunnel overhead */
    public IntentService(Store store, int underlayMtu) {
        this(store, underlayMtu, false);
    }

    /** @param tls whether this controller has a certificate: without one, TLS targets are refused */
    public IntentService(Store store, int underlayMtu, boolean tls) {
        this.store = store;
        this.underlayMtu = underlayMtu;
        this.tls = tls;
    }

    // ---- hosts

    public StoreState createHost(HostSpec spec) {
        if (spec == null) {
            throw IntentException.badRequest("a host needs name and tunnelIp");
        }
        String name = name("host", spec.name());
        Ipv4Address tunnelIp = address("tunnelIp", spec.tunnelIp());
        if (tunnelIp.isMulticast() || tunnelIp.bits() == 0 || tunnelIp.bits() == -1) {
            throw IntentException.badRequest("tunnelIp " + tunnelIp + " is not a unicast address: give the host's "
                    + "underlay address that other hosts' tunnels can reach");
        }
        DatapathType datapath = spec.datapathType() == null ? HostSpec.DEFAULT_DATAPATH
                : build(() -> DatapathType.parse(spec.datapathType()));
        Host host = build(() -> new Host(name, tunnelIp, datapath,
                Optional.ofNullable(spec.ovsdb()), Optional.ofNullable(spec.openflow())));
        requireUsable(host);
        return store.update(state -> {
            if (state.hosts().containsKey(name)) {
                throw IntentException.conflict("host " + name
                        + " already exists: delete it first or pick another name");
            }
            BitSet indexes = new BitSet();
            for (Host other : state.hosts().values()) {
                other.index().ifPresent(indexes::set);
                if (other.tunnelIp().equals(tunnelIp)) {
                    throw IntentException.conflict("tunnelIp " + tunnelIp + " already belongs to host " + other.name()
                            + ": every host needs its own underlay address");
                }
                sameTarget("ovsdb", host.ovsdbConnection(), other, other.ovsdbConnection());
                sameTarget("openflow", host.openflowDialed(), other, other.openflowDialed());
            }
            int index = indexes.nextClearBit(0);
            return List.of(new Mutation.PutHost(index < Host.MAX_INDEXED ? host.withIndex(index) : host));
        });
    }

    /** A target that needs what this controller lacks is refused now rather than failing to connect forever. */
    private void requireUsable(Host host) {
        if (tls) {
            return;
        }
        for (var target : List.of(host.ovsdbConnection(), host.openflowListener())) {
            target.filter(ConnectionTarget::tls).ifPresent(t -> {
                throw IntentException.badRequest((t.passive() ? "openflow" : "ovsdb") + " target " + t
                        + " needs TLS, and this controller has no certificate: start it with --tls-cert, --tls-key "
                        + "and --tls-ca, or use a tcp:/ptcp:/unix: target");
            });
        }
    }

    /** Two hosts reached at one address would be one switch or database claimed twice. */
    private static void sameTarget(String what, Optional<ConnectionTarget> mine, Host other,
                                   Optional<ConnectionTarget> theirs) {
        if (mine.isPresent() && mine.equals(theirs)) {
            throw IntentException.conflict(what + " target " + mine.get() + " is where Weft already reaches host "
                    + other.name() + ": every host needs its own");
        }
    }

    public StoreState deleteHost(String name) {
        return store.update(state -> {
            if (!state.hosts().containsKey(name)) {
                throw IntentException.notFound("host " + name + " does not exist");
            }
            List<String> onIt = state.index().on(name).stream().map(e -> e.id().toString()).toList();
            if (!onIt.isEmpty()) {
                throw IntentException.conflict("host " + name + " still holds " + onIt.size() + " endpoint(s) ("
                        + preview(onIt) + "): delete them first");
            }
            return List.of(new Mutation.DeleteHost(name));
        });
    }

    // ---- networks

    public StoreState createNetwork(NetworkSpec spec) {
        return store.update(networkCreation(spec));
    }

    /**
     * The network {@link #createNetwork} would make of {@code spec} now (its VNI allocated, its MTU), checked exactly
     * as that would check it against the current state, or the same refusal; commits nothing.
     */
    public Network dryRunCreateNetwork(NetworkSpec spec) {
        Function<StoreState, List<Mutation>> plan = networkCreation(spec);
        StoreState now = store.current();
        return now.apply(plan.apply(now)).networks().get(spec.name());
    }

    /** Checks what needs no state now, and returns the plan that checks the rest against the state it applies to. */
    private Function<StoreState, List<Mutation>> networkCreation(NetworkSpec spec) {
        if (spec == null) {
            throw IntentException.badRequest("a network needs name and subnets");
        }
        String name = name("network", spec.name());
        Encapsulation encap = spec.encap() == null ? NetworkSpec.DEFAULT_ENCAP
                : build(() -> Encapsulation.parse(spec.encap()));
        List<Subnet> subnets = subnets(spec.subnets());
        if (spec.vni() != null && (spec.vni() < 1 || spec.vni() > Network.MAX_VNI)) {
            throw IntentException.badRequest("vni " + spec.vni() + " is outside 1.." + Network.MAX_VNI
                    + ": pick a 24-bit value or leave it out to have one allocated");
        }
        int maxMtu = underlayMtu - encap.overhead();
        int mtu = spec.mtu() == null ? maxMtu : spec.mtu();
        if (mtu < Network.MIN_MTU || mtu > Network.MAX_MTU) {
            throw IntentException.badRequest("mtu " + mtu + " is outside " + Network.MIN_MTU + ".." + Network.MAX_MTU);
        }
        if (mtu > maxMtu) {
            throw IntentException.badRequest("mtu " + mtu + " does not fit the underlay: " + encap.ovsType()
                    + " costs " + encap.overhead() + " bytes of a " + underlayMtu
                    + "-byte underlay MTU, so use at most " + maxMtu + " (or leave mtu out)");
        }
        return state -> {
            if (state.networks().containsKey(name)) {
                throw IntentException.conflict("network " + name + " already exists: delete it first or pick another "
                        + "name");
            }
            Set<Integer> used = state.networks().values().stream().map(Network::vni).collect(Collectors.toSet());
            int vni;
            if (spec.vni() != null) {
                vni = spec.vni();
                if (used.contains(vni)) {
                    String owner = state.networks().values().stream().filter(n -> n.vni() == spec.vni())
                            .map(Network::name).findFirst().orElse("?");
                    throw IntentException.conflict("vni " + vni + " is taken by network " + owner
                            + ": pick another or leave it out to have one allocated");
                }
            } else {
                vni = freeVni(used);
            }
            Network network = build(() -> new Network(name, vni, encap, mtu, subnets));
            return List.of(new Mutation.PutNetwork(network));
        };
    }

    public StoreState deleteNetwork(String name) {
        return store.update(state -> {
            if (!state.networks().containsKey(name)) {
                throw IntentException.notFound("network " + name + " does not exist");
            }
            List<String> in = state.index().addresses(name).values().stream().flatMap(List::stream)
                    .map(e -> e.id().name()).toList();
            if (!in.isEmpty()) {
                throw IntentException.conflict("network " + name + " still has " + in.size() + " endpoint(s) ("
                        + preview(in) + "): delete them first");
            }
            return List.of(new Mutation.DeleteNetwork(name));
        });
    }

    // ---- endpoints

    public StoreState announceEndpoint(String networkName, EndpointSpec spec) {
        if (spec == null) {
            throw IntentException.badRequest("an endpoint needs name, host and port");
        }
        String name = name("endpoint", spec.name());
        if (spec.host() == null) {
            throw IntentException.badRequest("host is missing: name the host the container runs on");
        }
        if (spec.port() == null) {
            throw IntentException.badRequest("port is missing: name the container's host-side interface");
        }
        Optional<Ipv4Address> askedIp = spec.ip() == null ? Optional.empty() : Optional.of(address("ip", spec.ip()));
        Optional<MacAddress> askedMac = spec.mac() == null ? Optional.empty() : Optional.of(mac(spec.mac()));
        List<String> aliases = aliases(spec.aliases());
        Optional<String> hostname = hostname(spec.hostname());
        return store.update(state -> {
            Network network = state.networks().get(networkName);
            if (network == null) {
                throw IntentException.notFound("network " + networkName + " does not exist");
            }
            EndpointId id = new EndpointId(network.name(), name);
            if (!state.hosts().containsKey(spec.host())) {
                throw IntentException.notFound("host " + spec.host() + " does not exist: register it with POST "
                        + "/api/v1/hosts first");
            }
            askedIp.ifPresent(ip -> checkAssignable(network, ip));
            if (state.endpoints().containsKey(id)) {
                throw IntentException.conflict("endpoint " + name + " already exists in network " + networkName
                        + ": delete it first or pick another name");
            }
            EndpointIndex index = state.index();
            Ipv4Address ip;
            if (askedIp.isPresent()) {
                ip = askedIp.get();
                index.holdersOf(networkName, ip).stream().findFirst().ifPresent(holder -> {
                    throw IntentException.conflict("ip " + ip + " is taken by endpoint " + holder.id().name()
                            + " in network " + networkName + ": pick another or leave it out to have one allocated");
                });
            } else {
                ip = freeIp(network, index.held(networkName));
            }
            MacAddress mac = askedMac.orElseGet(() -> MacAddress.fromIpv4(ip));
            index.holdersOf(networkName, mac).stream().findFirst().ifPresent(holder -> {
                throw IntentException.conflict("mac " + mac + " is taken by endpoint " + holder.id().name()
                        + " in network " + networkName + ": pick another or leave it out to derive one from the IP");
            });
            state.index().at(spec.host(), spec.port()).ifPresent(other -> {
                throw IntentException.conflict("port " + spec.port() + " on host " + spec.host()
                        + " already carries endpoint " + other + ": give each container its own interface");
            });
            Endpoint endpoint = build(() -> new Endpoint(id, spec.host(), spec.port(), mac, ip, aliases, hostname));
            // The compiler's own consistency rules (a MAC that is a gateway's, a port taken twice...):
            // whatever it would refuse must be refused here, before it is committed.
            List<String> problems = SnapshotCheck.problemsOf(state.toSnapshot(Map.of()), endpoint);
            if (!problems.isEmpty()) {
                throw IntentException.conflict(String.join("; ", problems));
            }
            return List.of(new Mutation.PutEndpoint(endpoint));
        });
    }

    /** Replaces the endpoint's DNS aliases and leaves it no hostname. */
    public StoreState setAliases(String networkName, String name, List<String> asked) {
        return setAliases(networkName, name, asked, null);
    }

    /**
     * Replaces the endpoint's DNS names: its aliases, and the hostname its reverse lookup answers ({@code null}: none,
     * its own name); its names answer the new ones from the next query on.
     */
    public StoreState setAliases(String networkName, String name, List<String> asked, String askedHostname) {
        if (asked == null) {
            throw IntentException.badRequest("aliases is missing: give a list, [] for none");
        }
        List<String> aliases = aliases(asked);
        Optional<String> hostname = hostname(askedHostname);
        return store.update(state -> {
            if (!state.networks().containsKey(networkName)) {
                throw IntentException.notFound("network " + networkName + " does not exist");
            }
            EndpointId id = validId(networkName, name);
            Endpoint e = id == null ? null : state.endpoints().get(id);
            if (e == null) {
                throw IntentException.notFound("endpoint " + name + " does not exist in network " + networkName);
            }
            return List.of(new Mutation.PutEndpoint(e.withNames(aliases, hostname)));
        });
    }

    public StoreState removeEndpoint(String networkName, String name) {
        return store.update(state -> {
            if (!state.networks().containsKey(networkName)) {
                throw IntentException.notFound("network " + networkName + " does not exist");
            }
            EndpointId id = validId(networkName, name);
            if (id == null || !state.endpoints().containsKey(id)) {
                throw IntentException.notFound("endpoint " + name + " does not exist in network " + networkName);
            }
            return List.of(new Mutation.DeleteEndpoint(id));
        });
    }

    // ---- helpers

    private static List<String> aliases(List<String> asked) {
        if (asked == null) {
            return List.of();
        }
        if (asked.size() > MAX_ALIASES) {
            throw IntentException.badRequest("an endpoint may have at most " + MAX_ALIASES + " aliases, not "
                    + asked.size());
        }
        try {
            return asked.stream().map(DnsLabel::require).toList();
        } catch (IllegalArgumentException e) {
            throw IntentException.badRequest(e.getMessage());
        }
    }

    private static Optional<String> hostname(String asked) {
        try {
            return Optional.ofNullable(asked).map(h -> DnsLabel.require("hostname", h));
        } catch (IllegalArgumentException e) {
            throw IntentException.badRequest(e.getMessage());
        }
    }

    private static int freeVni(Set<Integer> used) {
        for (int vni = 1; vni <= Network.MAX_VNI; vni++) {
            if (!used.contains(vni)) {
                return vni;
            }
        }
        throw IntentException.conflict("all " + Network.MAX_VNI + " VNIs are taken");
    }

    /** The lowest assignable address of the network's subnets that no endpoint holds: O(log n) in the held runs. */
    private static Ipv4Address freeIp(Network network, AddressRuns held) {
        for (Subnet s : network.subnets()) {
            long broadcast = s.cidr().broadcast().asLong();
            long candidate = s.cidr().network().asLong() + 1;
            while (candidate < broadcast) {
                candidate = held.firstAbsentFrom(Ipv4Address.of((int) candidate));
                if (candidate < broadcast && s.isAssignable(Ipv4Address.of((int) candidate))) {
                    return Ipv4Address.of((int) candidate);
                }
                candidate++; // the gateway: skip it
            }
        }
        throw IntentException.conflict("network " + network.name() + " has no free address left in "
                + network.subnets().stream().map(s -> s.cidr().toString()).collect(Collectors.joining(", "))
                + ": add a subnet or remove endpoints");
    }

    private static void checkAssignable(Network network, Ipv4Address ip) {
        Optional<Subnet> subnet = network.subnetOf(ip);
        if (subnet.isEmpty()) {
            throw IntentException.badRequest("ip " + ip + " is outside every subnet of network " + network.name()
                    + " (" + network.subnets().stream().map(s -> s.cidr().toString()).collect(Collectors.joining(", "))
                    + ")");
        }
        Subnet s = subnet.get();
        if (ip.equals(s.gateway())) {
            throw IntentException.badRequest("ip " + ip + " is the gateway of " + s.cidr() + ": pick another");
        }
        if (!s.isAssignable(ip)) {
            throw IntentException.badRequest("ip " + ip + " is the network or broadcast address of " + s.cidr()
                    + ": pick another");
        }
    }

    private static List<Subnet> subnets(List<NetworkSpec.SubnetSpec> specs) {
        if (specs == null || specs.isEmpty()) {
            throw IntentException.badRequest("subnets is missing: give at least one {\"cidr\"} (its gateway is the "
                    + "first address unless given)");
        }
        List<Subnet> subnets = new ArrayList<>();
        for (NetworkSpec.SubnetSpec s : specs) {
            if (s == null || s.cidr() == null) {
                throw IntentException.badRequest("a subnet's cidr is missing: use a.b.c.d/len");
            }
            Ipv4Cidr cidr = build(() -> Ipv4Cidr.parse(s.cidr()));
            Ipv4Address gateway = s.gateway() == null ? NetworkSpec.SubnetSpec.defaultGateway(cidr)
                    : address("gateway", s.gateway());
            subnets.add(build(() -> new Subnet(cidr, gateway)));
        }
        return subnets;
    }

    private static String name(String kind, String name) {
        return build(() -> Names.require(kind, name));
    }

    private static Ipv4Address address(String field, String text) {
        if (text == null) {
            throw IntentException.badRequest(field + " is missing");
        }
        return build(() -> {
            try {
                return Ipv4Address.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
            }
        });
    }

    private static MacAddress mac(String text) {
        MacAddress mac = build(() -> MacAddress.parse(text));
        if (mac.isMulticast()) {
            throw IntentException.badRequest("mac " + mac + " is a multicast address: a container needs a unicast "
                    + "MAC (first octet even, e.g. 02:...), or leave mac out to derive one from the IP");
        }
        if (mac.isZero()) {
            throw IntentException.badRequest("mac 00:00:00:00:00:00 is not a usable address");
        }
        return mac;
    }

    private static EndpointId validId(String network, String name) {
        try {
            return new EndpointId(network, name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String preview(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", ...";
    }

    /** The model's constructors validate; their messages already say what is wrong, so they become 400s. */
    private static <T> T build(java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw IntentException.badRequest(e.getMessage());
        }
    }
}
