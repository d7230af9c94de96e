package io.weft.docker;

import io.netty.util.concurrent.DefaultThreadFactory;
import ch.qos.logback.classic.Level;
import io.weft.cli.ClientCredentials;
import io.weft.controller.WeftCommand;
import io.weft.model.Names;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft docker-plugin}: the agent next to dockerd on one host. */
@Command(name = "docker-plugin", mixinStandardHelpOptions = true,
        description = "Serve Docker's network and IPAM driver 'weft' on this host, backed by a Weft controller, "
                + "and keep this host's dockerd in step with Weft's networks.")
public final class DockerPluginCommand implements Callable<Integer>, WeftCommand {

    private static final Logger LOG = LoggerFactory.getLogger(DockerPluginCommand.class);

    @Option(names = "--controller", defaultValue = "http://127.0.0.1:8080",
            description = "The controller's REST API: http://HOST:PORT or https://HOST:PORT (default: "
                    + "${DEFAULT-VALUE}).")
    URI controller;

    @Option(names = "--host", required = true,
            description = "This host's name in Weft (as registered with POST /api/v1/hosts).")
    String host;

    @Option(names = "--token-file", description = "A file holding the bearer token for the controller's REST API "
            + "(admin scope), when it requires tokens.")
    Path tokenFile;

    @Option(names = "--ca", description = "PEM CA certificate(s) that the controller's HTTPS certificate is signed by.")
    Path ca;

    @Option(names = "--socket", defaultValue = "/run/docker/plugins/weft.sock",
            description = "Where to serve the plugin; Docker finds plugins in /run/docker/plugins (default: "
                    + "${DEFAULT-VALUE}).")
    Path socket;

    @Option(names = "--docker", defaultValue = "/var/run/docker.sock",
            description = "dockerd's API socket (default: ${DEFAULT-VALUE}).")
    Path dockerSocket;

    @Option(names = "--netns", description = "The network namespace dockerd runs in, when not the agent's own "
            + "(e.g. /proc/PID/ns/net of an emulated host): containers' veth pairs are made there.")
    Path netns;

    @Option(names = "--state-dir", defaultValue = "/var/lib/weft/docker-plugin",
            description = "Where the agent keeps which pools belong to networks created with docker on this host "
                    + "(default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--install-timeout", defaultValue = "10",
            description = "Seconds a container start waits for every host to install its flows, and a removal "
                    + "for them to be gone (default: ${DEFAULT-VALUE}).")
    int installTimeout;

    @Option(names = "--controller-timeout", defaultValue = "3",
            description = "Seconds to connect to the controller or get an answer beyond any install wait; a "
                    + "controller that is down fails docker commands after this (default: ${DEFAULT-VALUE}).")
    int controllerTimeout;

    @Option(names = "--sync-interval-ms", defaultValue = "500",
            description = "How often Weft's networks are mirrored into Docker (default: ${DEFAULT-VALUE}).")
    int syncIntervalMs;

    @Option(names = "--reconcile-interval", defaultValue = "5",
            description = "Seconds between checks for endpoints of containers Docker no longer runs (default: "
                    + "${DEFAULT-VALUE}).")
    int reconcileInterval;

    @Option(names = "--names-interval-ms", defaultValue = "250",
            description = "How often the containers' names and --network-aliases are compared with their endpoints' "
                    + "DNS aliases in Weft (default: ${DEFAULT-VALUE}).")
    int namesIntervalMs;

    @Option(names = "--log-level", defaultValue = "info", description = "error, warn, info, debug or trace.")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.toLevel(logLevel, Level.INFO));
        try {
            Names.require("host", host);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--host: " + e.getMessage());
        }
        if (!controller.getScheme().equals("http") && !controller.getScheme().equals("https")) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--controller must be http://HOST:PORT or https://HOST:PORT");
        }
        WeftApi weft = weftApi();
        DockerEngine docker = new DockerSocketClient(dockerSocket, Duration.ofSeconds(30));
        WeftDriver driver = new WeftDriver(host, weft, docker, new IpLinks(Optional.ofNullable(netns)),
                new PoolBook(stateDir), Duration.ofSeconds(installTimeout));
        PluginServer server = PluginServer.start(driver, socket);
        ScheduledExecutorService loops = Executors.newScheduledThreadPool(3,
                new DefaultThreadFactory("weft-docker-sync", true));
        loops.scheduleWithFixedDelay(guarded(new NetworkMirror(weft, docker, driver)), 0, syncIntervalMs,
                TimeUnit.MILLISECONDS);
        EndpointAliases aliases = new EndpointAliases(weft, docker, driver);
        loops.scheduleWithFixedDelay(guarded(new EndpointJanitor(weft, docker, driver, aliases)), 0,
                reconcileInterval, TimeUnit.SECONDS);
        loops.scheduleWithFixedDelay(guarded(aliases), 0, namesIntervalMs, TimeUnit.MILLISECONDS);
        LOG.info("weft docker plugin for host {} on {} (controller {}, dockerd {})", host, socket, controller,
                dockerSocket);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            loops.shutdownNow();
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("stopping the plugin server: {}", e.getMessage());
            }
            driver.close();
            docker.close();
            stopped.countDown();
        }, "weft-docker-shutdown"));
        stopped.await();
        return 0;
    }

    /** The controller's REST API as the options say: --controller, --token-file, --ca, --controller-timeout. */
    WeftApi weftApi() {
        try {
            Optional<String> token = Optional.ofNullable(tokenFile).map(ClientCredentials::token);
            return new WeftApi(controller, token, Optional.ofNullable(ca), Duration.ofSeconds(controllerTimeout));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }

    /** A pass that throws must not end the schedule. */
    private static Runnable guarded(Runnable pass) {
        return () -> {
            try {
                pass.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", pass.getClass().getSimpleName(), e.toString());
            }
        };
    }
}
