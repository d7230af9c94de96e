package io.weft.docker;

import io.weft.docker.PluginApi.AddressReply;
import io.weft.docker.WeftApi.WeftException;
import io.weft.model.Ipv4Address;
import io.weft.model.Ipv4Cidr;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's network and IPAM driver calls, answered with Weft.
 *
 * <p>A container's address is its Weft endpoint: RequestAddress makes the veth pair, announces the host side to Weft
 * and waits ({@code ?wait}) until every host of the network acknowledged the flows, so that the address never
 * collides across hosts and the container's first packet finds its flows. CreateEndpoint and Join then only hand
 * Docker the MAC, gateway and veth; DeleteEndpoint (or ReleaseAddress, after an agent restart) removes the endpoint,
 * again waiting until its flows are gone everywhere.
 *
 * <p>Networks: a Docker network stands for the Weft network of the same name. One the agent mirrors from Weft
 * carries {@code -o weft.network=NAME} and exists in Weft already; one a user creates with docker is created in Weft
 * as soon as Docker has stored it (Docker tells drivers no name before), and removed from Docker if Weft refuses it.
 */
public final class WeftDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WeftDriver.class);
    static final String DRIVER = "weft";

    /** An address announced for a container that Docker is starting or running on this host. */
    record Reservation(String network, String endpoint, Veth veth, String ip, int prefixLength, String mac,
                       String gateway, Instant at) {
    }

    private record Pending(NetworkRequest request, List<String> tokens) {
    }

    /** How long a network created with docker here stays out of the mirror's reach after its creation ended. */
    private static final Duration SETTLING = Duration.ofSeconds(10);

    private final String host;
    private final WeftApi weft;
    private final DockerEngine docker;
    private final Links links;
    private final PoolBook pools;
    private final Duration installWait;
    private final Map<String, String> networkNames = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Instant> settled = new ConcurrentHashMap<>();
    private final Set<String> removingOurselves = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> deletedByUser = new ConcurrentHashMap<>();
    private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
    private final Map<String, Reservation> endpoints = new ConcurrentHashMap<>();
    /** Host sides of veths being announced: their endpoints are in Weft before the agent knows their address. */
    private final Set<String> announcing = ConcurrentHashMap.newKeySet();
    private final ExecutorService creations = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "weft-docker-create");
        t.setDaemon(true);
        return t;
    });

    public WeftDriver(String host, WeftApi weft, DockerEngine docker, Links links, PoolBook pools,
                      Duration installWait) {
        this.host = host;
        this.weft = weft;
        this.docker = docker;
        this.links = links;
        this.pools = pools;
        this.installWait = installWait;
    }

    String host() {
        return host;
    }

    // ---- handshake

    public PluginApi.Activate activate() {
        return new PluginApi.Activate(List.of("NetworkDriver", "IpamDriver"));
    }

    public PluginApi.NetworkCapabilities networkCapabilities() {
        // Local: each daemon keeps its own record of a network (the agent keeps them in step with Weft); global
        // connectivity: its containers reach each other across hosts.
        return new PluginApi.NetworkCapabilities("local", "global");
    }

    public PluginApi.IpamCapabilities ipamCapabilities() {
        // No MAC at RequestAddress: Weft derives it from the IP (02:42 + IP, as Docker's bridge does), so an address
        // used again keeps its MAC and peers' ARP caches stay right. Docker's random MACs would leave them stale.
        return new PluginApi.IpamCapabilities(false, false);
    }

    public PluginApi.AddressSpaces addressSpaces() {
        return new PluginApi.AddressSpaces(PluginApi.ADDRESS_SPACE, PluginApi.ADDRESS_SPACE);
    }

    // ---- IPAM

    public PluginApi.PoolReply requestPool(PluginApi.RequestPool request) {
        if (request.v6()) {
            throw new PluginException("Weft networks are IPv4 only: leave out --ipv6");
        }
        if (request.pool() == null || request.pool().isEmpty()) {
            throw new PluginException("give the network a --subnet: Weft's IPAM does not choose subnets");
        }
        if (request.subPool() != null && !request.subPool().isEmpty()) {
            throw new PluginException("--ip-range is not supported by Weft's IPAM: leave it out");
        }
        Ipv4Cidr cidr;
        try {
            cidr = Ipv4Cidr.parse(request.pool());
        } catch (IllegalArgumentException e) {
            throw new PluginException(e.getMessage());
        }
        String mirror = request.options() == null ? null : request.options().get(NetworkRequest.MIRROR_OPTION);
        PoolId id = mirror != null ? PoolId.ofNetwork(mirror, cidr) : PoolId.ofToken(pools.issue(cidr), cidr);
        return new PluginApi.PoolReply(id.toString(), cidr.toString(), Map.of());
    }

    public PluginApi.Empty releasePool(PluginApi.PoolRef request) {
        // A token stays tied to its network until the network is deleted: Docker releases pools before it asks the
        // driver to delete the network, which Weft may still refuse.
        return new PluginApi.Empty();
    }

    public AddressReply requestAddress(PluginApi.RequestAddress request) {
        PoolId pool = PoolId.parse(request.poolId());
        Map<String, String> options = request.options() == null ? Map.of() : request.options();
        String asked = request.address() == null || request.address().isEmpty() ? null : request.address();
        if (PluginApi.GATEWAY_ADDRESS.equals(options.get(PluginApi.REQUEST_ADDRESS_TYPE))) {
            return new AddressReply(gateway(pool, asked) + "/" + pool.cidr().prefixLength(), Map.of());
        }
        String network = network(pool);
        WeftApi.Network net = weftNetwork(network);
        Veth veth = Veth.fresh();
        announcing.add(veth.hostSide());
        try {
            return reserve(network, net, veth, asked, options);
        } finally {
            announcing.remove(veth.hostSide());
        }
    }

    private AddressReply reserve(String network, WeftApi.Network net, Veth veth, String asked,
                                 Map<String, String> options) {
        links.createVeth(veth.hostSide(), veth.containerSide(), net.mtu(), userspaceDatapath());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", veth.endpointName(host));
        body.put("host", host);
        body.put("port", veth.hostSide());
        if (asked != null) {
            body.put("ip", asked);
        }
        Optional.ofNullable(options.get(PluginApi.MAC_OPTION)).filter(m -> !m.isEmpty())
                .ifPresent(m -> body.put("mac", m));
        WeftApi.Endpoint e = announce(network, veth, body);
        reservations.put(key(network, e.ip()), new Reservation(network, e.name(), veth, e.ip(), e.prefixLength(),
                e.mac(), e.gateway(), Instant.now()));
        return new AddressReply(e.ip() + "/" + e.prefixLength(), Map.of());
    }

    /** Announces the endpoint and waits for its flows everywhere; on refusal its veth goes. */
    private WeftApi.Endpoint announce(String network, Veth veth, Map<String, Object> body) {
        WeftApi.Endpoint e;
        try {
            e = weft.announce(network, body, installWait);
        } catch (WeftException refused) {
            links.deleteIfPresent(veth.hostSide());
            throw new PluginException(refused.getMessage(), refused);
        }
        if (e.pending() != null && !e.pending().isEmpty()) {
            LOG.warn("endpoint {} in {} announced, but not every host acknowledged it within {}: {}", e.name(),
                    network, installWait, e.pending());
        }
        return e;
    }

    public PluginApi.Empty releaseAddress(PluginApi.ReleaseAddress request) {
        PoolId pool = PoolId.parse(request.poolId());
        Optional<String> network = pool.network().or(() -> pools.known(pool.token().orElseThrow()));
        if (network.isEmpty() || request.address() == null) {
            return new PluginApi.Empty();
        }
        Reservation r = reservations.remove(key(network.get(), request.address()));
        if (r != null) {
            removeEndpoint(r.network(), r.endpoint(), r.veth());
            return new PluginApi.Empty();
        }
        // After an agent restart the reservation is only in Weft: this host's endpoint with that address.
        try {
            for (WeftApi.Endpoint e : weft.endpoints(network.get())) {
                if (host.equals(e.host()) && request.address().equals(e.ip()) && Veth.isAgents(e.port())) {
                    removeEndpoint(network.get(), e.name(), Veth.ofHostSide(e.port()));
                }
            }
        } catch (WeftException e) {
            LOG.warn("releasing {} in {}: {}; the endpoint is removed when the agent next reconciles",
                    request.address(), network.get(), e.getMessage());
        }
        return new PluginApi.Empty();
    }

    // ---- networks

    public PluginApi.Empty createNetwork(PluginApi.CreateNetwork request) {
        NetworkRequest wanted = NetworkRequest.of(request);
        if (wanted.mirrorOf().isPresent()) {
            networkNames.put(request.networkId(), wanted.mirrorOf().get());
            return new PluginApi.Empty();
        }
        // Weft checks all but the name now, so that docker network create fails with Weft's reason: the name comes
        // only once Docker has stored the network, after this call.
        try {
            weft.dryRunCreateNetwork(wanted.body(placeholderName(request.networkId())));
        } catch (WeftException refused) {
            throw new PluginException(refused.getMessage(), refused);
        }
        List<String> tokens = pools.claim(wanted.subnets().stream().map(s -> s.cidr()).toList());
        pending.put(request.networkId(), new Pending(wanted, tokens));
        creations.submit(() -> completeCreation(request.networkId()));
        return new PluginApi.Empty();
    }

    /** A valid Weft name that no network has, for the dry run of a network Docker has not named to the driver. */
    static String placeholderName(String dockerId) {
        return "docker-" + dockerId.substring(0, Math.min(12, dockerId.length()));
    }

    /** Once Docker stored a network created with docker, its name is known: create it in Weft. */
    private void completeCreation(String id) {
        Pending p = pending.get(id);
        String name = null;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (name == null) {
                try {
                    name = docker.network(id).name();
                } catch (DockerEngine.DockerException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(10);
                }
            }
            weft.createNetwork(p.request().body(name));
            networkNames.put(id, name);
            pools.resolve(p.tokens(), name);
            LOG.info("network {} created with docker on {}, now in Weft", name, host);
        } catch (RuntimeException e) {
            LOG.error("network {} ({}) created with docker could not be created in Weft, so it is removed from "
                    + "Docker: {}", name, id, e.getMessage());
            pools.fail(p.tokens(), e.getMessage());
            removingOurselves.add(id);
            try {
                docker.removeNetwork(id);
            } catch (RuntimeException gone) {
                removingOurselves.remove(id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            settled.put(id, Instant.now());
            pending.remove(id);
        }
    }

    public PluginApi.Empty deleteNetwork(PluginApi.NetworkId request) {
        String id = request.networkId();
        String name = networkNames.remove(id);
        if (removingOurselves.remove(id) || name == null) {
            return new PluginApi.Empty();
        }
        deletedByUser.put(name, Instant.now());
        try {
            weft.deleteNetwork(name);
        } catch (WeftException refused) {
            deletedByUser.remove(name);
            networkNames.put(id, name);
            throw new PluginException(refused.getMessage(), refused);
        }
        pools.forget(name);
        return new PluginApi.Empty();
    }

    // ---- endpoints

    public PluginApi.CreateEndpointReply createEndpoint(PluginApi.CreateEndpoint request) {
        PluginApi.EndpointInterface iface = request.iface();
        if (iface == null || iface.address() == null || iface.address().isEmpty()) {
            throw new PluginException("no IPv4 address for the endpoint: the network must use --ipam-driver weft");
        }
        String network = networkName(request.networkId());
        String ip = iface.address().replaceFirst("/.*", "");
        Reservation r = reservations.get(key(network, ip));
        if (r == null) {
            throw new PluginException("address " + ip + " in network " + network + " was not requested from Weft "
                    + "on this host");
        }
        boolean dockerHasMac = iface.macAddress() != null && !iface.macAddress().isEmpty();
        if (dockerHasMac && !iface.macAddress().equalsIgnoreCase(r.mac())) {
            // docker run --mac-address: announce the same address again with the MAC the user chose.
            weft.removeEndpoint(network, r.endpoint(), installWait);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", r.endpoint());
            body.put("host", host);
            body.put("port", r.veth().hostSide());
            body.put("ip", r.ip());
            body.put("mac", iface.macAddress());
            WeftApi.Endpoint e = announce(network, r.veth(), body);
            r = new Reservation(network, r.endpoint(), r.veth(), r.ip(), r.prefixLength(), e.mac(), r.gateway(),
                    r.at());
            reservations.put(key(network, ip), r);
        }
        endpoints.put(request.endpointId(), r);
        return new PluginApi.CreateEndpointReply(dockerHasMac ? null : new PluginApi.ReplyInterface(r.mac()));
    }

    public PluginApi.JoinReply join(PluginApi.Join request) {
        Reservation r = endpoints.get(request.endpointId());
        if (r == null) {
            throw new PluginException("endpoint " + request.endpointId() + " is unknown to this agent");
        }
        return new PluginApi.JoinReply(new PluginApi.InterfaceName(r.veth().containerSide(), "eth"), r.gateway(),
                false);
    }

    public PluginApi.OperInfo endpointOperInfo(PluginApi.EndpointRef request) {
        Reservation r = endpoints.get(request.endpointId());
        Map<String, Object> value = new LinkedHashMap<>();
        if (r != null) {
            value.put("weft.endpoint", r.network() + "/" + r.endpoint());
            value.put("weft.port", r.veth().hostSide());
        }
        return new PluginApi.OperInfo(value);
    }

    public PluginApi.Empty deleteEndpoint(PluginApi.EndpointRef request) {
        Reservation r = endpoints.remove(request.endpointId());
        if (r != null) {
            reservations.remove(key(r.network(), r.ip()));
            removeEndpoint(r.network(), r.endpoint(), r.veth());
        }
        return new PluginApi.Empty();
    }

    /** Removes a Weft endpoint (waiting until its flows are gone everywhere) and its veth. */
    void removeEndpoint(String network, String endpoint, Veth veth) {
        try {
            weft.removeEndpoint(network, endpoint, installWait);
        } catch (WeftException e) {
            // The container goes anyway; the endpoint is removed when the agent next reconciles.
            LOG.warn("removing endpoint {}/{} from Weft: {}", network, endpoint, e.getMessage());
        }
        links.deleteIfPresent(veth.hostSide());
    }

    // ---- what the loops read

    /**
     * Networks being created with docker on this host, or whose creation ended a moment ago, by Docker id: a
     * mirror pass that read Weft before such a creation ended must not take the network for one Weft deleted.
     */
    Set<String> pendingCreations() {
        Instant since = Instant.now().minus(SETTLING);
        settled.values().removeIf(at -> at.isBefore(since));
        Set<String> ids = new java.util.HashSet<>(settled.keySet());
        ids.addAll(pending.keySet());
        return ids;
    }

    /** Names a user removed with docker on this host recently: Docker is still removing its own record. */
    Set<String> recentlyDeleted(Duration within) {
        Instant since = Instant.now().minus(within);
        deletedByUser.values().removeIf(at -> at.isBefore(since));
        return Set.copyOf(deletedByUser.keySet());
    }

    void removingOurselves(String dockerId) {
        removingOurselves.add(dockerId);
    }

    void notRemovingOurselves(String dockerId) {
        removingOurselves.remove(dockerId);
    }

    void knowNetwork(String dockerId, String name) {
        networkNames.put(dockerId, name);
    }

    /**
     * Host sides of the veths of containers Docker may still be starting: being announced, or announced within
     * {@code within}. Their endpoints are not stale yet although Docker does not list them.
     */
    Set<String> starting(Duration within) {
        Instant since = Instant.now().minus(within);
        Set<String> ports = new java.util.HashSet<>(announcing);
        reservations.values().forEach(r -> {
            if (r.at().isAfter(since)) {
                ports.add(r.veth().hostSide());
            }
        });
        return ports;
    }

    void forgetReservation(String network, String ip) {
        reservations.remove(key(network, ip));
    }

    static String key(String network, String ip) {
        return network + "/" + ip;
    }

    // ---- helpers

    private String gateway(PoolId pool, String asked) {
        if (pool.network().isPresent()) {
            String network = pool.network().get();
            String gateway = weftNetwork(network).subnets().stream()
                    .filter(s -> s.cidr().equals(pool.cidr().toString())).map(WeftApi.Subnet::gateway).findFirst()
                    .orElseThrow(() -> new PluginException("Weft network " + network + " has no subnet "
                            + pool.cidr()));
            if (asked != null && !asked.equals(gateway)) {
                throw new PluginException("the gateway of " + pool.cidr() + " in Weft network " + network + " is "
                        + gateway + ", not " + asked);
            }
            return gateway;
        }
        if (asked != null) {
            try {
                return Ipv4Address.parse(asked).toString();
            } catch (IllegalArgumentException e) {
                throw new PluginException(e.getMessage());
            }
        }
        return pool.cidr().network().plus(1).toString();
    }

    private volatile Boolean userspace;

    /** Whether this host's OVS runs the userspace datapath (asked of Weft once). */
    private boolean userspaceDatapath() {
        Boolean known = userspace;
        if (known == null) {
            try {
                known = weft.datapathType(host).equals("netdev");
            } catch (WeftException e) {
                throw new PluginException(e.getMessage(), e);
            }
            userspace = known;
        }
        return known;
    }

    private String network(PoolId pool) {
        return pool.network().orElseGet(() -> pools.network(pool.token().orElseThrow(), Duration.ofSeconds(30)));
    }

    private WeftApi.Network weftNetwork(String name) {
        try {
            return weft.networks().stream().filter(n -> n.name().equals(name)).findFirst()
                    .orElseThrow(() -> new PluginException("Weft has no network " + name));
        } catch (WeftException e) {
            throw new PluginException(e.getMessage(), e);
        }
    }

    private String networkName(String dockerId) {
        return networkNames.computeIfAbsent(dockerId, id -> {
            try {
                return docker.network(id).name();
            } catch (DockerEngine.DockerException e) {
                throw new PluginException("network " + id + " is unknown: " + e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        creations.shutdownNow();
    }
}
