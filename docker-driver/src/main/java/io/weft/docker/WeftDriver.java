package io.weft.docker;

import io.netty.util.concurrent.DefaultThreadFactory;
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
import java.util.stream.Collectors;
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
 * carries {@code -o weft.network=NAME} and exists in Weft already; one a user creates with docker is checked by Weft
 * first (a dry run), created in Weft as soon as Docker has stored it (Docker tells drivers no name before), and
 * removed from Docker if Weft refuses it then.
 *
 * <p>State: Docker's ids of networks and what the agent is doing to them, and the container interfaces it made
 * ({@link Attachment}); what exists is Weft's and Docker's, read by the loops every pass.
 */
public final class WeftDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WeftDriver.class);
    static final String DRIVER = "weft";

    /**
     * A container interface this agent made: its veth, and the Weft endpoint of {@code network} it is announced as
     * (null while the announce is on its way; since when); {@code dockerEndpoint}: Docker's id for it, once it gave one.
     */
    record Attachment(String network, Veth veth, WeftApi.Endpoint endpoint, Instant since, String dockerEndpoint) {

        Attachment announced(WeftApi.Endpoint e) {
            return new Attachment(network, veth, e, Instant.now(), dockerEndpoint);
        }

        boolean holds(String otherNetwork, String ip) {
            return endpoint != null && network.equals(otherNetwork) && ip.equals(endpoint.ip());
        }
    }

    /** A network created with docker on this host, waiting for Docker to store it so that Weft can. */
    private record Creation(NetworkRequest request, List<String> tokens) {
    }

    private final String host;
    private final WeftApi weft;
    private final DockerEngine docker;
    private final Links links;
    private final PoolBook pools;
    private final Duration installWait;
    /** Weft's name of each Docker network of this driver, by Docker id: DeleteNetwork and CreateEndpoint get ids. */
    private final Map<String, String> networkNames = new ConcurrentHashMap<>();
    private final Map<String, Creation> creating = new ConcurrentHashMap<>();
    /** Docker networks the agent removes because Weft has none such: their DeleteNetwork deletes nothing in Weft. */
    private final Set<String> removingOurselves = ConcurrentHashMap.newKeySet();
    /** Names a user's docker network rm is deleting in Weft right now. */
    private final Set<String> deleting = ConcurrentHashMap.newKeySet();
    /** By the host side of their veth. */
    private final Map<String, Attachment> attachments = new ConcurrentHashMap<>();
    private final ExecutorService creations = Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("weft-docker-create", true));

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
        // Known before Weft has it: the endpoint clean-up must not take it for a stale one while it is announced.
        Attachment attachment = new Attachment(network, veth, null, Instant.now(), null);
        attachments.put(veth.hostSide(), attachment);
        try {
            links.createVeth(veth.hostSide(), veth.containerSide(), net.mtu(), userspaceDatapath());
            WeftApi.Endpoint e = announce(network, veth, asked, options.get(PluginApi.MAC_OPTION));
            // One that held the address before lost it in Weft (removed behind the agent's back): forget it.
            attachments.values().removeIf(other -> other.holds(network, e.ip()));
            attachments.put(veth.hostSide(), attachment.announced(e));
            return new AddressReply(e.ip() + "/" + e.prefixLength(), Map.of());
        } catch (RuntimeException e) {
            attachments.remove(veth.hostSide());
            throw e;
        }
    }

    /** Announces the veth's endpoint and waits for its flows everywhere; on refusal the veth goes. */
    private WeftApi.Endpoint announce(String network, Veth veth, String ip, String mac) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", veth.endpointName(host));
        body.put("host", host);
        body.put("port", veth.hostSide());
        if (ip != null) {
            body.put("ip", ip);
        }
        if (mac != null && !mac.isEmpty()) {
            body.put("mac", mac);
        }
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
        Optional<Attachment> a = attachment(network.get(), request.address());
        if (a.isPresent()) {
            remove(a.get());
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
        creating.put(request.networkId(), new Creation(wanted, tokens));
        creations.submit(() -> completeCreation(request.networkId()));
        return new PluginApi.Empty();
    }

    /** A valid Weft name that no network has, for the dry run of a network Docker has not named to the driver. */
    static String placeholderName(String dockerId) {
        return "docker-" + dockerId.substring(0, Math.min(12, dockerId.length()));
    }

    /** Once Docker stored a network created with docker, its name is known: create it in Weft. */
    private void completeCreation(String id) {
        Creation c = creating.get(id);
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
            weft.createNetwork(c.request().body(name));
            networkNames.put(id, name);
            pools.resolve(c.tokens(), name);
            LOG.info("network {} created with docker on {}, now in Weft", name, host);
        } catch (RuntimeException e) {
            LOG.error("network {} ({}) created with docker could not be created in Weft, so it is removed from "
                    + "Docker: {}", name, id, e.getMessage());
            pools.fail(c.tokens(), e.getMessage());
            try {
                removeFromDocker(id);
            } catch (RuntimeException gone) {
                // already gone from Docker
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            creating.remove(id);
        }
    }

    /** Removes a Docker network that stands for no Weft network: its DeleteNetwork must delete nothing in Weft. */
    void removeFromDocker(String dockerId) {
        removingOurselves.add(dockerId);
        try {
            docker.removeNetwork(dockerId);
        } catch (RuntimeException e) {
            removingOurselves.remove(dockerId);
            throw e;
        }
    }

    public PluginApi.Empty deleteNetwork(PluginApi.NetworkId request) {
        String id = request.networkId();
        String name = networkNames.remove(id);
        if (removingOurselves.remove(id) || name == null) {
            return new PluginApi.Empty();
        }
        deleting.add(name);
        try {
            weft.deleteNetwork(name);
        } catch (WeftException refused) {
            networkNames.put(id, name);
            throw new PluginException(refused.getMessage(), refused);
        } finally {
            deleting.remove(name);
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
        Attachment a = attachment(network, ip).orElseThrow(() -> new PluginException("address " + ip
                + " in network " + network + " was not requested from Weft on this host"));
        boolean dockerHasMac = iface.macAddress() != null && !iface.macAddress().isEmpty();
        if (dockerHasMac && !iface.macAddress().equalsIgnoreCase(a.endpoint().mac())) {
            // docker run --mac-address: announce the same address again with the MAC the user chose.
            weft.removeEndpoint(network, a.endpoint().name(), installWait);
            a = a.announced(announce(network, a.veth(), ip, iface.macAddress()));
        }
        attachments.put(a.veth().hostSide(), new Attachment(network, a.veth(), a.endpoint(), a.since(),
                request.endpointId()));
        return new PluginApi.CreateEndpointReply(dockerHasMac ? null
                : new PluginApi.ReplyInterface(a.endpoint().mac()));
    }

    public PluginApi.JoinReply join(PluginApi.Join request) {
        Attachment a = namedByDocker(request.endpointId()).orElseThrow(() -> new PluginException("endpoint "
                + request.endpointId() + " is unknown to this agent"));
        return new PluginApi.JoinReply(new PluginApi.InterfaceName(a.veth().containerSide(), "eth"),
                a.endpoint().gateway(), false);
    }

    public PluginApi.OperInfo endpointOperInfo(PluginApi.EndpointRef request) {
        Map<String, Object> value = new LinkedHashMap<>();
        namedByDocker(request.endpointId()).ifPresent(a -> {
            value.put("weft.endpoint", a.network() + "/" + a.endpoint().name());
            value.put("weft.port", a.veth().hostSide());
        });
        return new PluginApi.OperInfo(value);
    }

    public PluginApi.Empty deleteEndpoint(PluginApi.EndpointRef request) {
        namedByDocker(request.endpointId()).ifPresent(this::remove);
        return new PluginApi.Empty();
    }

    private Optional<Attachment> attachment(String network, String ip) {
        return attachments.values().stream().filter(a -> a.holds(network, ip)).findFirst();
    }

    private Optional<Attachment> namedByDocker(String endpointId) {
        return attachments.values().stream().filter(a -> endpointId.equals(a.dockerEndpoint())).findFirst();
    }

    private void remove(Attachment a) {
        removeEndpoint(a.network(), a.endpoint().name(), a.veth());
    }

    /** Removes a Weft endpoint (waiting until its flows are gone everywhere) and its veth. */
    void removeEndpoint(String network, String endpoint, Veth veth) {
        attachments.remove(veth.hostSide());
        try {
            weft.removeEndpoint(network, endpoint, installWait);
        } catch (WeftException e) {
            // The container goes anyway; the endpoint is removed when the agent next reconciles.
            LOG.warn("removing endpoint {}/{} from Weft: {}", network, endpoint, e.getMessage());
        }
        links.deleteIfPresent(veth.hostSide());
    }

    // ---- what the loops read

    /** Docker ids of the networks being created with docker on this host, not in Weft yet. */
    Set<String> creating() {
        return Set.copyOf(creating.keySet());
    }

    /** Names of networks a user's docker network rm on this host is deleting in Weft. */
    Set<String> deleting() {
        return Set.copyOf(deleting);
    }

    /** The endpoints this agent announced since it started and has not removed, with the names it last set. */
    List<WeftApi.Endpoint> announced() {
        return attachments.values().stream().map(Attachment::endpoint).filter(java.util.Objects::nonNull).toList();
    }

    /** Weft now holds {@code names} for the endpoint of the veth whose host side is {@code port}. */
    void namesSet(String port, EndpointAliases.Names names) {
        attachments.computeIfPresent(port, (p, a) -> a.endpoint() == null ? a
                : new Attachment(a.network(), a.veth(), a.endpoint().withNames(names.aliases(), names.hostname()),
                        a.since(), a.dockerEndpoint()));
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
        return attachments.values().stream().filter(a -> a.endpoint() == null || a.since().isAfter(since))
                .map(a -> a.veth().hostSide()).collect(Collectors.toSet());
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
