package io.weft.e2e;

import static org.awaitility.Awaitility.await;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.EtcdCluster;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real controller, started with {@code bin/weft controller} as an operator would, with its own data directory,
 * REST port and OpenFlow socket so that runs never collide. Kill it with SIGKILL or stop it with SIGTERM.
 *
 * <p>With {@code -Dweft.e2e.store=etcd} every controller keeps its state in etcd instead ({@code --store}, no data
 * directory): one 3-member cluster per test JVM, started with the first controller and closed when the JVM ends, each
 * controller under a key prefix of its own, which its restarts keep.
 */
public final class WeftProcess implements AutoCloseable {

    private static final Path WEFT = Path.of("..", "bin", "weft").toAbsolutePath().normalize();
    /** The system property that chooses the store of every controller this JVM starts: "etcd", or the embedded. */
    public static final String STORE_PROPERTY = "weft.e2e.store";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static EtcdCluster sharedEtcd; // guarded by WeftProcess.class

    private final Path workDir;
    private final int restPort;
    /** {@code --store} for this controller, kept across its restarts; empty for the embedded store. */
    private final Optional<String> store;
    private Process process;
    private int starts;

    public WeftProcess(Path workDir) throws IOException {
        this(workDir, "etcd".equals(System.getProperty(STORE_PROPERTY))
                ? Optional.of(sharedEtcd().storeUri() + "/e2e-" + PREFIXES.incrementAndGet()) : Optional.empty());
    }

    /** A controller on {@code store} ({@code etcd://...}), or on the embedded store when empty. */
    public WeftProcess(Path workDir, Optional<String> store) throws IOException {
        this.workDir = workDir;
        this.store = store;
        try (ServerSocket s = new ServerSocket(0)) {
            this.restPort = s.getLocalPort();
        }
        Files.createDirectories(workDir);
    }

    /** Skips the calling test when this JVM's controllers keep their state in etcd: it is about the embedded store. */
    static void assumeEmbeddedStore() {
        Assumptions.assumeFalse("etcd".equals(System.getProperty(STORE_PROPERTY)),
                "about the embedded store's files; this run keeps the state in etcd");
    }

    /** The JVM's etcd cluster, started on first use and closed when the JVM ends. */
    private static synchronized EtcdCluster sharedEtcd() throws IOException {
        if (sharedEtcd == null) {
            EtcdCluster cluster = EtcdCluster.start(3, Path.of(System.getProperty("java.io.tmpdir")));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "e2e-etcd-close"));
            sharedEtcd = cluster;
        }
        return sharedEtcd;
    }

    public WeftClient client() {
        return WeftClient.local(restPort);
    }

    Path log() {
        return workDir.resolve("weft-" + starts + ".log");
    }

    /** Where the controller keeps its store. */
    Path dataDir() {
        return workDir.resolve("data");
    }

    /** Starts the controller with {@code options} beyond the REST, OpenFlow and data ones; returns once it is up. */
    public WeftProcess start(String... options) throws IOException {
        launch("127.0.0.1:" + restPort, options);
        WeftClient client = client();
        try {
            await("controller health").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("weft exited: " + Files.readString(log()));
                        }
                        return client.healthy();
                    });
        } catch (ConditionTimeoutException e) {
            // Nobody holds this process to close it once start fails: it goes now. Its directory goes with the test,
            // so what it printed travels with the failure.
            process.destroyForcibly();
            throw new AssertionError("weft did not answer /health within 60 s; it printed:\n"
                    + Files.readString(log()), e);
        }
        return this;
    }

    /** What a controller run that ended by itself left: its exit status and everything it printed. */
    record Exit(int status, String output) {
    }

    /** Starts a controller that is expected to stop by itself (a refusal) within {@code timeout}. */
    Exit startExpectingExit(Duration timeout) throws IOException, InterruptedException {
        return startExpectingExit(timeout, "127.0.0.1:" + restPort);
    }

    private Exit startExpectingExit(Duration timeout, String restListen, String... options)
            throws IOException, InterruptedException {
        launch(restListen, options);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stop();
            throw new AssertionError("weft was expected to exit but kept running: " + logText());
        }
        return new Exit(process.exitValue(), logText());
    }

    /** Starts the controller with the REST API on {@code restListen} and more options, expecting it to refuse. */
    String refusedStart(String restListen, String... options) throws IOException, InterruptedException {
        Exit exit = startExpectingExit(Duration.ofSeconds(60), restListen, options);
        if (exit.status() == 0) {
            throw new AssertionError("weft exited with 0: " + exit.output());
        }
        return exit.output();
    }

    /** Stops the controller as an operator would (SIGTERM) and waits until it is gone. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void launch(String restListen, String... options) throws IOException {
        starts++;
        List<String> command = new ArrayList<>(List.of(WEFT.toString(), "controller",
                "--rest-listen", restListen,
                "--openflow-listen", "unix:" + workDir.resolve("openflow.sock")));
        // With etcd, no data directory at all: the controller must not need one.
        command.addAll(store.isPresent() ? List.of("--store", store.get()) : List.of("--data-dir", dataDir().toString()));
        command.addAll(List.of(options));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile()).start();
    }

    public int restPort() {
        return restPort;
    }

    /** SIGSTOP: the process is frozen (its sockets stay open) until {@link #resume}. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String logText() throws IOException {
        return Files.readString(log());
    }

    /** Stops the controller and removes its work directory; the last log lines go to the test output first. */
    @Override
    public void close() throws InterruptedException, IOException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        for (int i = 1; i <= starts; i++) {
            Path log = workDir.resolve("weft-" + i + ".log");
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                System.out.println("--- controller log " + log + " (last 40 lines)");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
            }
        }
        try (var paths = Files.walk(workDir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
