package io.weft.docker;

import io.weft.testbed.BedHost;
import io.weft.testbed.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An emulated host's Docker side: its own dockerd ({@code scripts/docker-host.sh}) in the host's network namespace,
 * and the Weft agent ({@code bin/weft docker-plugin}) serving it, as an operator runs them. Everything lives under
 * {@code dir}, which {@link #close()} removes.
 */
final class DockerHost implements AutoCloseable {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WEFT = ROOT.resolve("bin/weft");
    private static final Path DOCKER_HOST = ROOT.resolve("scripts/docker-host.sh");

    private final BedHost host;
    private final Path dir;
    private final String controller;
    private final List<String> agentOptions;
    private Process agent;
    private int agentStarts;

    private DockerHost(BedHost host, Path dir, String controller, List<String> agentOptions) {
        this.host = host;
        this.dir = dir;
        this.controller = controller;
        this.agentOptions = agentOptions;
    }

    /** Starts dockerd in {@code host}'s namespace and an agent for it that reaches Weft at {@code controller}. */
    static DockerHost start(BedHost host, Path dir, String controller, String... agentOptions) throws IOException {
        DockerHost d = new DockerHost(host, dir, controller, List.of(agentOptions));
        Files.createDirectories(dir);
        d.startDockerd();
        d.startAgent();
        return d;
    }

    String name() {
        return host.name();
    }

    BedHost bedHost() {
        return host;
    }

    Path dir() {
        return dir.resolve("docker");
    }

    void startDockerd() {
        run(List.of(DOCKER_HOST.toString(), "start", Long.toString(host.pid()), dir().toString()), 120).orThrow();
    }

    /** Stops dockerd (SIGTERM) without touching its containers: with --live-restore they keep running. */
    void stopDockerd() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(dir().resolve("docker.pid")).strip());
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    void startAgent() throws IOException {
        agentStarts++;
        List<String> command = new ArrayList<>(List.of(WEFT.toString(), "docker-plugin", "--controller", controller,
                "--host", host.name(), "--socket", dir().resolve("plugins/weft.sock").toString(),
                "--docker", dir().resolve("docker.sock").toString(),
                "--netns", "/proc/" + host.pid() + "/ns/net", "--state-dir", dir.resolve("agent").toString(),
                "--reconcile-interval", "1"));
        command.addAll(agentOptions);
        agent = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent-" + agentStarts + ".log").toFile()).start();
    }

    /** SIGKILL, as a crash would. */
    void killAgent() throws InterruptedException {
        agent.destroyForcibly();
        agent.waitFor(10, TimeUnit.SECONDS);
    }

    String agentLog() throws IOException {
        return Files.readString(dir.resolve("agent-" + agentStarts + ".log"));
    }

    boolean agentAlive() {
        return agent.isAlive();
    }

    /** The docker CLI against this host's dockerd. */
    ExecResult docker(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/docker", "-H", "unix://" + dir().resolve("docker.sock")));
        command.addAll(List.of(args));
        return run(command, 60);
    }

    /** A command in a running container. */
    ExecResult exec(String container, String... argv) {
        List<String> args = new ArrayList<>(List.of("exec", container));
        args.addAll(List.of(argv));
        return docker(args.toArray(String[]::new));
    }

    static ExecResult run(List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new ExecResult(ExecResult.TIMED_OUT, out.getNow(""), "timed out: " + command);
            }
            return new ExecResult(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            return new ExecResult(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, "", "interrupted");
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** Removes every container, stops dockerd and the agent, prints the agent's log tail, removes {@code dir}. */
    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of(DOCKER_HOST.toString(), "stop", dir().toString()), 120);
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            List<String> lines = agentLog().lines().toList();
            System.out.println("--- agent log of " + host.name() + " (last 30 lines)");
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.out::println);
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
