package io.weft.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes from Weft the endpoints this agent made on its host for containers Docker no longer runs: a container
 * removed while the agent (or the controller) was down, or whose start failed half-way. Desired state is what Docker
 * runs; what Weft holds beyond it goes. Nothing is removed while either side cannot be read. With what it read, the
 * remaining endpoints' DNS aliases are put right ({@link EndpointAliases}).
 */
final class EndpointJanitor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointJanitor.class);
    /** An address announced this recently may belong to a container Docker is still starting. */
    static final Duration STARTING = Duration.ofMinutes(2);

    private final WeftApi weft;
    private final DockerEngine docker;
    private final WeftDriver driver;
    private final EndpointAliases aliases;

    EndpointJanitor(WeftApi weft, DockerEngine docker, WeftDriver driver, EndpointAliases aliases) {
        this.weft = weft;
        this.docker = docker;
        this.driver = driver;
        this.aliases = aliases;
    }

    /**
     * @param ours     this host's endpoints that the agent made, in every network
     * @param running  {@code network/ip} of every address Docker's running containers hold in weft networks
     * @param starting host-side ports of containers that may still be starting (read after the two others, so that
     *                 an endpoint announced meanwhile is in it)
     */
    static List<WeftApi.Endpoint> stale(List<WeftApi.Endpoint> ours, Set<String> running, Set<String> starting) {
        List<WeftApi.Endpoint> stale = new ArrayList<>();
        for (WeftApi.Endpoint e : ours) {
            if (!running.contains(WeftDriver.key(e.network(), e.ip())) && !starting.contains(e.port())) {
                stale.add(e);
            }
        }
        return stale;
    }

    /** {@code network/ip} of each running container's address in a network of {@code networks}. */
    static Set<String> running(List<DockerEngine.Container> containers, Set<String> networks) {
        Set<String> keys = new HashSet<>();
        for (DockerEngine.Container c : containers) {
            if (c.settings() == null || c.settings().networks() == null) {
                continue;
            }
            for (Map.Entry<String, DockerEngine.Attachment> a : c.settings().networks().entrySet()) {
                if (networks.contains(a.getKey()) && a.getValue().ipAddress() != null) {
                    keys.add(WeftDriver.key(a.getKey(), a.getValue().ipAddress()));
                }
            }
        }
        return keys;
    }

    @Override
    public void run() {
        List<WeftApi.Endpoint> ours = new ArrayList<>();
        List<DockerEngine.Container> containers;
        Set<String> running;
        try {
            Set<String> names = new HashSet<>();
            for (WeftApi.Network n : weft.networks()) {
                names.add(n.name());
                for (WeftApi.Endpoint e : weft.endpoints(n.name())) {
                    if (driver.host().equals(e.host()) && Veth.isAgents(e.port())) {
                        ours.add(e);
                    }
                }
            }
            containers = docker.runningContainers();
            running = running(containers, names);
        } catch (RuntimeException e) {
            LOG.debug("endpoints not reconciled for now: {}", e.getMessage());
            return;
        }
        // After both reads: an endpoint Weft listed is either running in Docker or, if it is being started, here.
        Set<String> starting = driver.starting(STARTING);
        List<WeftApi.Endpoint> stale = stale(ours, running, starting);
        for (WeftApi.Endpoint e : stale) {
            LOG.info("endpoint {}/{} ({}) belongs to no running container: removing it", e.network(), e.name(),
                    e.ip());
            driver.removeEndpoint(e.network(), e.name(), Veth.ofHostSide(e.port()));
        }
        // The endpoints' names too, from what Weft holds: also those announced before the agent last started.
        ours.removeAll(stale);
        aliases.reconcile(ours, containers);
    }
}
