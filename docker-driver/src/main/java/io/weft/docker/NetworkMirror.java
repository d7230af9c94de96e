package io.weft.docker;

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
     * @param creating Docker ids of networks being created with docker on this host, not in Weft yet
     * @param deleting names a user's docker network rm on this host is deleting in Weft
     */
    static Plan plan(List<WeftApi.Network> weft, List<DockerEngine.Network> docker, Set<String> creating,
                     Set<String> deleting) {
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
                if (!deleting.contains(w.name())) {
                    create.add(w);
                }
            } else if (!sameSubnets(d, w) && !creating.contains(d.id())) {
                remove.add(d); // Weft's network was replaced by another of the same name: the next pass recreates it
            }
        }
        for (DockerEngine.Network d : docker) {
            if (!wanted.containsKey(d.name()) && !creating.contains(d.id()) && !deleting.contains(d.name())) {
                remove.add(d);
            }
        }
        return new Plan(create, remove);
    }

    /**
     * Whether Docker's network has Weft's subnets. Docker lists the IPAM configuration its user gave: a network made
     * with docker network create without --gateway lists no gateway, although Weft's IPAM chose one.
     */
    private static boolean sameSubnets(DockerEngine.Network d, WeftApi.Network w) {
        Map<String, String> gateways = w.subnets().stream()
                .collect(Collectors.toMap(WeftApi.Subnet::cidr, WeftApi.Subnet::gateway, (a, b) -> a));
        List<DockerEngine.IpamConfig> configs = d.ipam() == null || d.ipam().config() == null ? List.of()
                : d.ipam().config();
        return configs.size() == gateways.size() && configs.stream().allMatch(c -> gateways.containsKey(c.subnet())
                && (c.gateway() == null || c.gateway().isEmpty() || c.gateway().equals(gateways.get(c.subnet()))));
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
        List<DockerEngine.Network> dockers;
        Set<String> creating;
        Set<String> deleting;
        List<WeftApi.Network> networks;
        try {
            dockers = docker.networks(WeftDriver.DRIVER);
            // Docker first, Weft last, what this host's users are doing in between: a network Docker listed is in
            // Weft's list unless its creation had not ended by then, and one a user's docker network rm took out of
            // Docker's list is out of Weft's unless that deletion had not ended.
            creating = driver.creating();
            deleting = driver.deleting();
            networks = weft.networks();
        } catch (RuntimeException e) {
            once("read", "networks not mirrored for now: " + e.getMessage());
            return;
        }
        reported.remove("read");
        dockers.forEach(d -> driver.knowNetwork(d.id(), d.name()));
        Plan plan = plan(networks, dockers, creating, deleting);
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
            try {
                driver.removeFromDocker(d.id());
                LOG.info("network {} removed from Docker: Weft has no such network", d.name());
            } catch (RuntimeException e) {
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
