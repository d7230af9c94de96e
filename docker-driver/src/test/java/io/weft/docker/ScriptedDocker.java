package io.weft.docker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A dockerd for the agent's races: its networks and running containers as the test sets them, a hook that runs
 * inside the next listing of networks (what a user does with docker while the agent reads), and a gate that holds
 * Docker's answer about one network (Docker not done storing it yet). Removing a network calls the driver's
 * DeleteNetwork, as dockerd does.
 */
final class ScriptedDocker implements DockerEngine {

    final Map<String, Network> networks = new ConcurrentHashMap<>();
    final List<Container> running = new CopyOnWriteArrayList<>();
    /** What {@code docker inspect} shows of each container's networks, by container id. */
    final Map<String, Settings> inspected = new ConcurrentHashMap<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    private volatile Runnable duringNextListing = () -> { };
    private volatile CountDownLatch inspectGate = new CountDownLatch(0);
    private volatile WeftDriver driver;

    void serve(WeftDriver d) {
        this.driver = d;
    }

    /** Runs {@code action} inside the next {@link #networks} call, before it answers. */
    void duringNextListing(Runnable action) {
        duringNextListing = action;
    }

    /** Holds every {@link #network(String)} until {@link #openInspections()}. */
    void holdInspections() {
        inspectGate = new CountDownLatch(1);
    }

    void openInspections() {
        inspectGate.countDown();
    }

    static Network weftNetwork(String id, String name, String cidr, String gateway, Map<String, String> options) {
        return new Network(id, name, WeftDriver.DRIVER, options,
                new Ipam(WeftDriver.DRIVER, options, List.of(new IpamConfig(cidr, gateway))));
    }

    @Override
    public List<Network> networks(String driverName) {
        Runnable action = duringNextListing;
        duringNextListing = () -> { };
        action.run();
        return networks.values().stream().filter(n -> n.driver().equals(driverName)).toList();
    }

    @Override
    public Network network(String id) {
        try {
            if (!inspectGate.await(30, TimeUnit.SECONDS)) {
                throw new DockerException(0, "the test never opened inspections");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException(0, "interrupted");
        }
        Network n = networks.get(id);
        if (n == null) {
            throw new DockerException(404, "network " + id + " not found");
        }
        return n;
    }

    /** Stores the network once the driver's CreateNetwork took it, as dockerd does. */
    @Override
    @SuppressWarnings("unchecked")
    public void createNetwork(Map<String, Object> body) {
        String name = (String) body.get("Name");
        Map<String, Object> ipam = (Map<String, Object>) body.get("IPAM");
        Map<String, String> config = ((List<Map<String, String>>) ipam.get("Config")).get(0);
        Map<String, String> options = (Map<String, String>) body.get("Options");
        String id = "mirrored-" + name;
        String prefix = config.get("Subnet").replaceFirst(".*/", "/");
        driver.createNetwork(new PluginApi.CreateNetwork(id, Map.of(PluginApi.GENERIC_OPTIONS, options),
                List.of(new PluginApi.IpamData(PluginApi.ADDRESS_SPACE, config.get("Subnet"),
                        config.get("Gateway") + prefix, Map.of())), List.of()));
        networks.put(id, weftNetwork(id, name, config.get("Subnet"), config.get("Gateway"), options));
    }

    /** Hides the network, asks the driver's DeleteNetwork, then forgets it, as dockerd does. */
    @Override
    public void removeNetwork(String id) {
        removed.add(id);
        Network n = networks.remove(id);
        try {
            driver.deleteNetwork(new PluginApi.NetworkId(id));
        } catch (PluginException refused) {
            // dockerd removes its record all the same
        }
        if (n == null) {
            throw new DockerException(404, "network " + id + " not found");
        }
    }

    @Override
    public List<Container> runningContainers() {
        return List.copyOf(running);
    }

    @Override
    public Settings networkSettings(String containerId) {
        Settings s = inspected.get(containerId);
        if (s == null) {
            throw new DockerException(404, "no such container: " + containerId);
        }
        return s;
    }

    @Override
    public void close() {
        openInspections();
    }
}
