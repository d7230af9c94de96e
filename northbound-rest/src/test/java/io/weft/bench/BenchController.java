package io.weft.bench;

import io.weft.northbound.rest.WeftClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/weft controller} as an operator starts it, with its own REST port, OpenFlow socket and data directory
 * under the bench's work directory. Its pid goes to {@code weft.pid} so that bench.sh can stop it even if the bench's
 * JVM dies without running its hooks. WEFT_JAVA_OPTS (e.g. a JFR recording) is passed through by bin/weft.
 */
final class BenchController implements AutoCloseable {

    private final Path workDir;
    private final int restPort;
    private final List<String> command;
    private volatile Process process;
    private int starts;

    private BenchController(Path workDir, int restPort, List<String> command) {
        this.workDir = workDir;
        this.restPort = restPort;
        this.command = command;
    }

    static BenchController start(Path weft, Path workDir) throws IOException, InterruptedException {
        return start(weft, workDir, java.util.Optional.empty());
    }

    /** @param store {@code --store etcd://...}; empty for the embedded store in the work directory */
    static BenchController start(Path weft, Path workDir, java.util.Optional<String> store)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of(weft.toString(), "controller",
                "--rest-listen", "127.0.0.1:" + port,
                "--openflow-listen", "unix:" + workDir.resolve("openflow.sock")));
        command.addAll(store.isPresent() ? List.of("--store", store.get())
                : List.of("--data-dir", workDir.resolve("data").toString()));
        BenchController c = new BenchController(workDir, port, List.copyOf(command));
        Runtime.getRuntime().addShutdownHook(new Thread(c::close, "bench-controller-stop"));
        c.relaunch();
        c.awaitHealthy();
        return c;
    }

    /**
     * Starts the controller again with the same options and data (after {@link #kill9}) and returns at once; its
     * output goes to a log of its own ({@link #log}).
     */
    void relaunch() throws IOException {
        relaunch(Path.of(command.get(0)));
    }

    /** As {@link #relaunch()}, with another build's {@code bin/weft} (a comparison on the same bed and data). */
    void relaunch(Path weft) throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the controller is still running");
        }
        starts++;
        List<String> run = new ArrayList<>(command);
        run.set(0, weft.toString());
        process = new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(log().toFile()).start();
        Files.writeString(workDir.resolve("weft.pid"), Long.toString(process.pid()));
    }

    /** How many times the controller was started: the first run is 1. */
    int starts() {
        return starts;
    }

    /** SIGKILL, as a crash: nothing is closed, the switches keep their flows. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the controller did not die of SIGKILL within 15 s");
        }
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        WeftClient client = client();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("weft exited: " + Files.readString(log()));
            }
            if (client.healthy()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("weft did not answer /health within 60 s; see " + log());
    }

    WeftClient client() {
        return WeftClient.local(restPort).withTimeout(java.time.Duration.ofMinutes(3));
    }

    /** bin/weft execs the JVM, so this is the controller JVM's pid (for jcmd). */
    long pid() {
        return process.pid();
    }

    /** The log of the current run: {@code weft.log} for the first, {@code weft-N.log} for the N-th. */
    Path log() {
        return workDir.resolve(starts <= 1 ? "weft.log" : "weft-" + starts + ".log");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
