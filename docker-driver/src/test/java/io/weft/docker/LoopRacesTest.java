package io.weft.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.northbound.rest.TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's loops racing Docker's calls: what a pass reads while a container is being started or a network created
 * must never make it remove them. Weft is the real REST server (its waits held open while the test says so); dockerd
 * is {@link ScriptedDocker}, which lets the test act in the middle of a pass; veths are only recorded.
 */
class LoopRacesTest {

    private static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path state;

    TestServer controller;
    WeftApi weft;
    ScriptedDocker docker;
    WeftDriver driver;

    /** Veths the driver made and not yet deleted. */
    static final class RecordingLinks implements Links {
        final Set<String> present = ConcurrentHashMap.newKeySet();

        @Override
        public void createVeth(String hostSide, String containerSide, int mtu, boolean txChecksumOff) {
            present.add(hostSide);
        }

        @Override
        public void deleteIfPresent(String name) {
            present.remove(name);
        }
    }

    @BeforeEach
    void start() {
        controller = new TestServer().withFixture(); // h1, h2; red 10.0.0.0/24 with c1 (not the agent's) on h1
        weft = new WeftApi(URI.create("http://127.0.0.1:" + controller.server.port()), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5));
        docker = new ScriptedDocker();
        docker.networks.put("d-red", ScriptedDocker.weftNetwork("d-red", "red", "10.0.0.0/24", "10.0.0.1",
                Map.of(NetworkRequest.MIRROR_OPTION, "red")));
        driver = new WeftDriver("h1", weft, docker, new RecordingLinks(), new PoolBook(state.resolve("agent")),
                Duration.ofSeconds(20));
        docker.serve(driver);
    }

    @AfterEach
    void stop() {
        controller.view.release();
        docker.close();
        driver.close();
        controller.close();
    }

    // ---- endpoints

    @Test
    void anEndpointBeingAnnouncedIsNotRemovedAlthoughNoRunningContainerHoldsItYet() throws Exception {
        // Left over from a container removed while the agent was down: the same pass must remove it.
        controller.client.created("/api/v1/networks/red/endpoints",
                "{\"name\":\"h1-0000dead\",\"host\":\"h1\",\"port\":\"wh0000dead\"}");
        controller.view.stalled = true; // the announce below waits for every host's flows until release()
        CompletableFuture<PluginApi.AddressReply> address = CompletableFuture.supplyAsync(() ->
                driver.requestAddress(new PluginApi.RequestAddress("weft:red:10.0.0.0/24", "", Map.of())));
        await("the announce committed in Weft and waiting").atMost(SOON)
                .until(() -> agentsPorts().size() == 2 && !controller.view.waits.isEmpty());
        controller.view.stalled = false; // later writes, the janitor's, are installed at once

        janitor().run(); // Docker runs no container: the new one is being started

        assertThat(agentsPorts()).as("the orphan goes, the endpoint being announced stays").hasSize(1)
                .doesNotContain("wh0000dead");
        controller.view.release();
        String ip = address.get(SOON.toSeconds(), TimeUnit.SECONDS).address().replaceFirst("/.*", "");
        janitor().run(); // Docker is still starting its container
        assertThat(weft.endpoints("red")).extracting(WeftApi.Endpoint::ip).contains(ip);
    }

    private EndpointJanitor janitor() {
        return new EndpointJanitor(weft, docker, driver, new EndpointAliases(weft, docker, driver));
    }

    private Set<String> agentsPorts() {
        return Set.copyOf(weft.endpoints("red").stream().map(WeftApi.Endpoint::port).filter(Veth::isAgents)
                .toList());
    }

    // ---- networks

    /** What dockerd does for {@code docker network create -d weft --ipam-driver weft --subnet 10.9.0.0/24 blue}. */
    private void dockerNetworkCreateBlue(String id) {
        PluginApi.PoolReply pool = driver.requestPool(new PluginApi.RequestPool(PluginApi.ADDRESS_SPACE,
                "10.9.0.0/24", "", Map.of(), false));
        driver.requestAddress(new PluginApi.RequestAddress(pool.poolId(), "",
                Map.of(PluginApi.REQUEST_ADDRESS_TYPE, PluginApi.GATEWAY_ADDRESS)));
        driver.createNetwork(new PluginApi.CreateNetwork(id, Map.of(PluginApi.GENERIC_OPTIONS, Map.of()),
                List.of(new PluginApi.IpamData(PluginApi.ADDRESS_SPACE, "10.9.0.0/24", "10.9.0.1/24", Map.of())),
                List.of()));
        docker.networks.put(id, ScriptedDocker.weftNetwork(id, "blue", "10.9.0.0/24", "10.9.0.1", Map.of()));
    }

    /** A Docker network of the weft driver that Weft does not have and nobody is creating: a pass removes it. */
    private void leftOverNetwork() {
        docker.networks.put("d-gone", ScriptedDocker.weftNetwork("d-gone", "gone", "10.8.0.0/24", "10.8.0.1",
                Map.of(NetworkRequest.MIRROR_OPTION, "gone")));
    }

    @Test
    void aNetworkBeingCreatedWithDockerDuringAPassIsNotRemovedBeforeWeftHasIt() {
        leftOverNetwork();
        docker.holdInspections(); // the agent cannot learn blue's name yet: its creation in Weft waits
        docker.duringNextListing(() -> dockerNetworkCreateBlue("d-blue"));

        new NetworkMirror(weft, docker, driver).run();

        assertThat(docker.removed).containsExactly("d-gone");
        assertThat(controller.store.current().networks()).doesNotContainKey("blue");
        docker.openInspections();
        await("blue created in Weft").atMost(SOON)
                .until(() -> controller.store.current().networks().containsKey("blue"));
        new NetworkMirror(weft, docker, driver).run();
        assertThat(docker.removed).containsExactly("d-gone");
        assertThat(controller.store.current().networks()).containsKey("blue");
    }

    @Test
    void aNetworkRemovedWithDockerDuringAPassIsNotMirroredBackIntoDocker() {
        controller.client.created("/api/v1/networks", "{\"name\":\"blue\",\"encap\":\"vxlan\",\"subnets\":"
                + "[{\"cidr\":\"10.9.0.0/24\",\"gateway\":\"10.9.0.1\"}]}");
        new NetworkMirror(weft, docker, driver).run();
        String blue = docker.networks.values().stream().filter(n -> n.name().equals("blue")).findFirst()
                .orElseThrow().id();
        // docker network rm blue: dockerd hides the network from its list, then asks the driver to delete it.
        docker.duringNextListing(() -> {
            docker.networks.remove(blue);
            driver.deleteNetwork(new PluginApi.NetworkId(blue));
        });

        new NetworkMirror(weft, docker, driver).run();

        assertThat(controller.store.current().networks()).doesNotContainKey("blue");
        assertThat(docker.networks.values()).extracting(DockerEngine.Network::name).doesNotContain("blue");
    }

    @Test
    void aNetworkWhoseCreationInWeftEndsDuringAPassIsNotRemoved() {
        leftOverNetwork();
        docker.duringNextListing(() -> {
            dockerNetworkCreateBlue("d-blue");
            await("blue created in Weft").atMost(SOON)
                    .until(() -> controller.store.current().networks().containsKey("blue"));
        });

        new NetworkMirror(weft, docker, driver).run();

        assertThat(docker.removed).containsExactly("d-gone");
        assertThat(docker.networks).containsKey("d-blue");
        assertThat(controller.store.current().networks()).containsKey("blue");
    }
}
