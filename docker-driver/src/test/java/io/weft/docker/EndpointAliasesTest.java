package io.weft.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Endpoint;
import io.weft.northbound.rest.TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's name and network aliases become its Weft endpoint's DNS aliases, and its name the endpoint's
 * hostname (what a reverse lookup answers); both follow a rename, also for endpoints announced before the agent
 * restarted. Weft is the real REST server; dockerd is {@link ScriptedDocker}.
 */
class EndpointAliasesTest {

    @TempDir
    Path state;

    TestServer controller;
    WeftApi weft;
    ScriptedDocker docker;
    WeftDriver driver;

    @BeforeEach
    void start() {
        controller = new TestServer().withFixture(); // h1, h2; red 10.0.0.0/24
        weft = new WeftApi(URI.create("http://127.0.0.1:" + controller.server.port()), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5));
        docker = new ScriptedDocker();
        driver = newDriver();
    }

    private WeftDriver newDriver() {
        WeftDriver d = new WeftDriver("h1", weft, docker, new LoopRacesTest.RecordingLinks(),
                new PoolBook(state.resolve("agent")), Duration.ofSeconds(5));
        docker.serve(d);
        return d;
    }

    @AfterEach
    void stop() {
        docker.close();
        driver.close();
        controller.close();
    }

    /** What Docker does for {@code docker run --name NAME --network red --network-alias ALIAS}: the address. */
    private String dockerRun(String id, String name, String... aliases) {
        String ip = driver.requestAddress(new PluginApi.RequestAddress("weft:red:10.0.0.0/24", "", Map.of()))
                .address().replaceFirst("/.*", "");
        String endpointId = "ep-" + id;
        docker.running.add(new DockerEngine.Container(id, List.of("/" + name), new DockerEngine.Settings(Map.of(
                "red", new DockerEngine.Attachment("d-red", endpointId, ip, "m", null)))));
        docker.inspected.put(id, new DockerEngine.Settings(Map.of("red",
                new DockerEngine.Attachment("d-red", endpointId, ip, "m", List.of(aliases)))));
        return ip;
    }

    private void dockerRename(String id, String name) {
        DockerEngine.Container c = docker.running.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        docker.running.remove(c);
        docker.running.add(new DockerEngine.Container(id, List.of("/" + name), c.settings()));
    }

    private List<String> aliasesInWeft(String ip) {
        return controller.store.current().endpoints().values().stream().filter(e -> e.ip().toString().equals(ip))
                .findFirst().map(Endpoint::aliases).orElseThrow();
    }

    private Optional<String> hostnameInWeft(String ip) {
        return controller.store.current().endpoints().values().stream().filter(e -> e.ip().toString().equals(ip))
                .findFirst().orElseThrow().hostname();
    }

    @Test
    void aContainersNameAndNetworkAliasesAreItsEndpointsAliasesAndFollowARename() {
        String ip = dockerRun("19d58ac08665", "Web1", "www", "19d58ac08665");
        EndpointAliases aliases = new EndpointAliases(weft, docker, driver);

        aliases.run();
        assertThat(aliasesInWeft(ip)).containsExactly("19d58ac08665", "web1", "www");
        assertThat(hostnameInWeft(ip)).as("what PTR answers").contains("web1");

        dockerRename("19d58ac08665", "web2");
        aliases.run();
        assertThat(aliasesInWeft(ip)).containsExactly("19d58ac08665", "web2", "www");
        assertThat(hostnameInWeft(ip)).contains("web2");

        dockerRename("19d58ac08665", "my_app");
        aliases.run();
        assertThat(aliasesInWeft(ip)).containsExactly("19d58ac08665", "www");
        assertThat(hostnameInWeft(ip)).as("a name that is no DNS label: PTR answers the endpoint's").isEmpty();
    }

    /** A rolling upgrade, agents first: an older controller refuses the hostname, the aliases still resolve. */
    @Test
    void anOlderControllerGetsTheAliasesWithoutTheHostnameUntilItIsUpgraded() throws Exception {
        String ip = dockerRun("19d58ac08665", "web1", "www");
        try (OlderController older = new OlderController(
                URI.create("http://127.0.0.1:" + controller.server.port()))) {
            WeftApi olderWeft = new WeftApi(older.uri(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
            EndpointAliases aliases = new EndpointAliases(olderWeft, docker, driver);
            EndpointJanitor fullPass = new EndpointJanitor(olderWeft, docker, driver, aliases);

            aliases.run();
            assertThat(older.refused).as("the hostname was offered").hasValue(1);
            assertThat(aliasesInWeft(ip)).containsExactly("web1", "www");
            assertThat(hostnameInWeft(ip)).isEmpty();

            int puts = older.namesPuts.get();
            aliases.run();
            assertThat(older.namesPuts).as("the fast pass does not offer it again").hasValue(puts);

            fullPass.run();
            assertThat(older.refused).as("the full pass asks once whether it was upgraded").hasValue(2);
            assertThat(aliasesInWeft(ip)).containsExactly("web1", "www");

            older.upgrade();
            fullPass.run();
            assertThat(hostnameInWeft(ip)).as("what PTR answers once the controller takes it").contains("web1");
            assertThat(aliasesInWeft(ip)).containsExactly("web1", "www");
            puts = older.namesPuts.get();
            aliases.run();
            assertThat(older.namesPuts).as("nothing left to set").hasValue(puts);
        }
    }

    @Test
    void endpointsAnnouncedBeforeTheAgentRestartedAreNamedByTheEndpointCleanUp() {
        String ip = dockerRun("aaaaaaaaaaaa", "db");
        driver.close();
        driver = newDriver(); // remembers nothing of the endpoint it announced before
        EndpointAliases aliases = new EndpointAliases(weft, docker, driver);
        aliases.run();
        assertThat(aliasesInWeft(ip)).as("the fast pass knows only what this agent announced").isEmpty();

        new EndpointJanitor(weft, docker, driver, aliases).run();

        assertThat(aliasesInWeft(ip)).containsExactly("db");
        assertThat(hostnameInWeft(ip)).contains("db");
        assertThat(controller.store.current().endpoints().values()).extracting(e -> e.ip().toString())
                .as("a running container's endpoint is not stale").contains(ip);
    }
}
