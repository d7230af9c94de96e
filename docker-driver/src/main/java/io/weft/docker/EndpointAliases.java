package io.weft.docker;

import io.weft.model.DnsLabel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names each Weft endpoint this agent made as Docker names its container: the endpoint's DNS aliases are the
 * container's name and its {@code --network-alias}es in that network (with the short id Docker adds), so that
 * containers on other hosts resolve them through Weft; its hostname is the container's name, so that a reverse lookup
 * of its address answers that name (as Docker's embedded DNS does) rather than the endpoint's own {@code HOST-TOKEN}.
 * Docker tells a network driver no container name (CreateEndpoint and Join carry only ids), and its record of a
 * container holds the endpoint only once the connect has ended, after Join: so each pass reads which containers
 * dockerd runs and sets in Weft the names that differ. A renamed container
 * is renamed in Weft at the next pass; a disconnected or removed one has no endpoint left (DeleteEndpoint).
 *
 * <p>Docker's list of containers has their names and endpoints but not their aliases; an endpoint's aliases are fixed
 * for its life, so they are read with {@code docker inspect} once per endpoint.
 *
 * <p>A controller older than hostnames refuses the field (400, unknown field): the names are then set without it, so
 * that they keep resolving while the agents are upgraded before the controller; the full pass offers the hostname
 * again (one request) and sets the hostnames once the controller takes them.
 */
final class EndpointAliases implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointAliases.class);
    /** As many as Weft takes for one endpoint. */
    static final int MAX_ALIASES = 64;

    /**
     * An endpoint's names in its network's DNS: {@code aliases} sorted, as Weft keeps them; {@code hostname} what a
     * reverse lookup answers, null for none (a container's name that is no DNS label).
     */
    record Names(List<String> aliases, String hostname) {
        Names withoutHostname() {
            return new Names(aliases, null);
        }
    }

    /** Weft endpoint {@code endpoint} of {@code network} (the agent's veth {@code port}) should have {@code names}. */
    record Change(String network, String endpoint, String port, Names names) {
    }

    private final WeftApi weft;
    private final DockerEngine docker;
    private final WeftDriver driver;
    /** Docker's aliases of each endpoint, by Docker's endpoint id. */
    private final Map<String, List<String>> dockerAliases = new ConcurrentHashMap<>();
    /** Problems logged once until they end: endpoints' names, or {@link #READ}. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private static final String READ = "";
    /** The controller refused the hostname field (it is older): the fast pass sets names without hostnames. */
    private volatile boolean hostnameRefused;

    EndpointAliases(WeftApi weft, DockerEngine docker, WeftDriver driver) {
        this.weft = weft;
        this.docker = docker;
        this.driver = driver;
    }

    /**
     * The names Weft should give the endpoint of a container named {@code name} with Docker aliases {@code aliases}
     * in that network: as aliases those of them that are DNS labels, in lower case, sorted as Weft keeps them (the
     * name first when there are more than Weft takes); as hostname the name, when it is a DNS label.
     */
    static Names wanted(String name, List<String> aliases) {
        Set<String> labels = new LinkedHashSet<>();
        List<String> all = new ArrayList<>();
        all.add(name);
        all.addAll(aliases == null ? List.of() : aliases);
        for (String a : all) {
            if (DnsLabel.isValid(a) && labels.size() < MAX_ALIASES) {
                labels.add(a.toLowerCase(Locale.ROOT));
            }
        }
        String hostname = DnsLabel.isValid(name) ? name.toLowerCase(Locale.ROOT) : null;
        return new Names(labels.stream().sorted().toList(), hostname);
    }

    /** A container's own name in Docker's list ({@code /web1}; {@code /other/web1} is a legacy link's name). */
    static String name(DockerEngine.Container c) {
        return c.names() == null ? "" : c.names().stream().filter(n -> n.lastIndexOf('/') == 0)
                .map(n -> n.substring(1)).findFirst().orElse("");
    }

    /**
     * @param endpoints Weft endpoints of this host that the agent made, with the names Weft holds
     * @param wanted    {@code network/ip} of each running container's address to the names it should have
     */
    static List<Change> plan(Collection<WeftApi.Endpoint> endpoints, Map<String, Names> wanted) {
        List<Change> changes = new ArrayList<>();
        for (WeftApi.Endpoint e : endpoints) {
            Names w = wanted.get(WeftDriver.key(e.network(), e.ip()));
            if (w != null && !w.equals(new Names(e.aliases().stream().sorted().toList(), e.hostname()))) {
                changes.add(new Change(e.network(), e.name(), e.port(), w));
            }
        }
        return changes;
    }

    /** The fast pass: the endpoints this agent announced since it started, against what Docker runs now. */
    @Override
    public void run() {
        List<WeftApi.Endpoint> announced = driver.announced();
        if (announced.isEmpty()) {
            return;
        }
        List<DockerEngine.Container> running;
        try {
            running = docker.runningContainers();
        } catch (DockerEngine.DockerException e) {
            if (reported.add(READ)) {
                LOG.warn("endpoints' DNS aliases not compared for now: {}", e.getMessage());
            }
            return;
        }
        reported.remove(READ);
        apply(announced, wanted(running), !hostnameRefused);
    }

    /**
     * The full pass, with what the endpoint clean-up read: every endpoint of the agent's in Weft (after restarts).
     * It offers hostnames even to a controller that refused them, to learn when it was upgraded.
     */
    void reconcile(List<WeftApi.Endpoint> ours, List<DockerEngine.Container> running) {
        apply(ours, wanted(running), true);
    }

    /** Sets the names that differ; without hostnames when asked or when the controller refuses them. */
    private void apply(List<WeftApi.Endpoint> endpoints, Map<String, Names> wanted, boolean hostnames) {
        if (hostnames && apply(plan(endpoints, wanted))) {
            return;
        }
        Map<String, Names> withoutHostnames = new HashMap<>();
        wanted.forEach((key, names) -> withoutHostnames.put(key, names.withoutHostname()));
        apply(plan(endpoints, withoutHostnames));
    }

    /** {@code network/ip} of every running container's address to the names its endpoint should have. */
    private Map<String, Names> wanted(List<DockerEngine.Container> running) {
        Map<String, Names> wanted = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (DockerEngine.Container c : running) {
            if (c.settings() == null || c.settings().networks() == null) {
                continue;
            }
            for (Map.Entry<String, DockerEngine.Attachment> a : c.settings().networks().entrySet()) {
                DockerEngine.Attachment at = a.getValue();
                if (at.ipAddress() == null || at.ipAddress().isEmpty() || at.endpointId() == null) {
                    continue;
                }
                seen.add(at.endpointId());
                List<String> aliases = dockerAliases(c.id(), a.getKey(), at.endpointId());
                if (aliases != null) {
                    wanted.put(WeftDriver.key(a.getKey(), at.ipAddress()), wanted(name(c), aliases));
                }
            }
        }
        dockerAliases.keySet().retainAll(seen);
        return wanted;
    }

    /** The endpoint's aliases in Docker, read once; null when Docker cannot say now (the next pass asks again). */
    private List<String> dockerAliases(String container, String network, String endpointId) {
        List<String> known = dockerAliases.get(endpointId);
        if (known != null) {
            return known;
        }
        try {
            DockerEngine.Settings s = docker.networkSettings(container);
            DockerEngine.Attachment a = s == null || s.networks() == null ? null : s.networks().get(network);
            if (a == null || !endpointId.equals(a.endpointId())) {
                return null; // connected or disconnected between the two reads
            }
            List<String> aliases = a.aliases() == null ? List.of() : List.copyOf(a.aliases());
            dockerAliases.put(endpointId, aliases);
            return aliases;
        } catch (DockerEngine.DockerException e) {
            return null;
        }
    }

    /** Sets each change's names; false, stopping there, when the controller refuses the hostname field. */
    private boolean apply(List<Change> changes) {
        for (Change c : changes) {
            boolean withHostname = c.names().hostname() != null;
            try {
                if (weft.setAliases(c.network(), c.endpoint(), c.names().aliases(), c.names().hostname())) {
                    driver.namesSet(c.port(), c.names());
                    LOG.info("endpoint {}/{} answers in DNS to {}, its address to {}", c.network(), c.endpoint(),
                            c.names().aliases(), withHostname ? c.names().hostname() : c.endpoint());
                    if (withHostname && hostnameRefused) {
                        hostnameRefused = false;
                        LOG.info("the controller now takes endpoints' hostnames: setting them");
                    }
                }
                reported.remove(c.endpoint());
            } catch (WeftApi.WeftException e) {
                if (withHostname && refusesHostname(e)) {
                    if (!hostnameRefused) {
                        hostnameRefused = true;
                        LOG.warn("the controller is older than endpoints' hostnames ({}): setting their DNS aliases "
                                + "without them, so a reverse lookup of an address answers its endpoint's name until "
                                + "the controller is upgraded", e.getMessage());
                    }
                    return false;
                }
                if (reported.add(c.endpoint())) {
                    LOG.warn("DNS names {} of endpoint {}/{} not set for now: {}", c.names(), c.network(),
                            c.endpoint(), e.getMessage());
                }
            }
        }
        return true;
    }

    /** How a controller older than hostnames answers the field: its strict JSON refuses an unknown field. */
    static boolean refusesHostname(WeftApi.WeftException e) {
        return e.status() == 400 && e.getMessage().contains("unknown field 'hostname'");
    }
}
