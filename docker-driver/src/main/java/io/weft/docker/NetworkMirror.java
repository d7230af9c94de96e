package io.weft.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this host's dockerd in step with Weft's networks: every Weft network exists in Docker under its name with
 * the weft driver, and a Docker network of the weft driver whose Weft network is gone is removed. Weft is the source
 * of truth; one pass reads both sides, {@link #plan} decides, then the difference is applied.
 */
final class NetworkMirror implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkMirror.class);
    /** How long a network a user removed with docker here is left to Docker before it counts as gone. */
    static final Duration USER_REMOVAL = Duration.ofSeconds(10);

    /** What to change in Docker: networks to create (Weft's), and Docker networks to remove. */
    record Plan(List<WeftApi.Network> create, List<DockerEngine.Network> remove) {
    }

    private final WeftApi weft;
    private final DockerEngine docker;
    private final WeftDriver driver;
    private final Set<String> reported = new HashSet<>();

    NetworkMirror(WeftApi weft, DockerEngine docker, WeftDriver driver) {
        this.weft = weft;
        this.docker = docker;
        this.driver = driver;
    }

    /**
     * @param pending  Docker ids of networks being created with docker on this host, not in Weft yet
     * @param removing names a user removed with docker on this host, which Docker is still removing
     */
    static Plan plan(List<WeftApi.Network> weft, List<DockerEngine.Network> docker, Set<String> pending,
                     Set<String> removing) {
        Map<String, WeftApi.Network> wanted = weft.stream()
                .collect(Collectors.toMap(WeftApi.Network::name, Function.identity(), (a, b) -> a,
                        LinkedHashMap::new));
        Map<String, DockerEngine.Network> have = new LinkedHashMap<>();
        docker.forEach(d -> have.putIfAbsent(d.name(), d));
        List<WeftApi.Network> create = new ArrayList<>();
        List<DockerEngine.Network> remove = new ArrayList<>();
        for (WeftApi.Network w : wanted.values()) {
            DockerEngine.Network d = have.get(w.name());
            if (d == null) {
                if (!removing.contains(w.name())) {
                    create.add(w);
                }
            } else if (!subnets(d).equals(subnets(w)) && !pending.contains(d.id())) {
                remove.add(d); // Weft's network was replaced by another of the same name: the next pass recreates it
            }
        }
        for (DockerEngine.Network d : docker) {
            if (!wanted.containsKey(d.name()) && !pending.contains(d.id()) && !removing.contains(d.name())) {
                remove.add(d);
            }
        }
        return new Plan(create, remove);
    }

    private static Set<String> subnets(DockerEngine.Network d) {
        return d.ipam() == null || d.ipam().config() == null ? Set.of()
                : d.ipam().config().stream().map(c -> c.subnet() + " " + c.gateway()).collect(Collectors.toSet());
    }

    private static Set<String> subnets(WeftApi.Network w) {
        return w.subnets().stream().map(s -> s.cidr() + " " + s.gateway()).collect(Collectors.toSet());
    }

    /** The Engine API body that creates the Docker side of Weft network {@code w}. */
    static Map<String, Object> dockerNetwork(WeftApi.Network w) {
        Map<String, String> mark = Map.of(NetworkRequest.MIRROR_OPTION, w.name());
        return Map.of("Name", w.name(), "Driver", WeftDriver.DRIVER, "CheckDuplicate", true, "Attachable", true,
                "Options", mark,
                "IPAM", Map.of("Driver", WeftDriver.DRIVER, "Options", mark, "Config", w.subnets().stream()
                        .map(s -> Map.of("Subnet", s.cidr(), "Gateway", s.gateway())).toList()));
    }

    @Override
    public void run() {
        Set<String> removing = driver.recentlyDeleted(USER_REMOVAL);
        List<WeftApi.Network> networks;
        List<DockerEngine.Network> dockers;
        try {
            networks = weft.networks();
            dockers = docker.networks(WeftDriver.DRIVER);
        } catch (RuntimeException e) {
            once("read", "networks not mirrored for now: " + e.getMessage());
            return;
        }
        reported.remove("read");
        dockers.forEach(d -> driver.knowNetwork(d.id(), d.name()));
        // Read after both sides: a creation that began during the reads is pending, one that ended is settling.
        Plan plan = plan(networks, dockers, driver.pendingCreations(), removing);
        for (WeftApi.Network w : plan.create()) {
            try {
                docker.createNetwork(dockerNetwork(w));
                LOG.info("network {} mirrored from Weft into Docker", w.name());
                reported.remove("create " + w.name());
            } catch (RuntimeException e) {
                once("create " + w.name(), "network " + w.name() + " not mirrored into Docker: " + e.getMessage());
            }
        }
        for (DockerEngine.Network d : plan.remove()) {
            driver.removingOurselves(d.id());
            try {
                docker.removeNetwork(d.id());
                LOG.info("network {} removed from Docker: Weft has no such network", d.name());
            } catch (RuntimeException e) {
                driver.notRemovingOurselves(d.id());
                once("remove " + d.id(), "network " + d.name() + " is gone from Weft but stays in Docker for now: "
                        + e.getMessage());
            }
        }
    }

    /** Logs a lasting problem once, not at every pass. */
    private void once(String key, String message) {
        if (reported.add(key)) {
            LOG.warn(message);
        }
    }
}
