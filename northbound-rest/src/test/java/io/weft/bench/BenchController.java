package io.weft.bench;

import io.weft.northbound.rest.WeftClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final Process process;

    private BenchController(Path workDir, int restPort, Process process) {
        this.workDir = workDir;
        this.restPort = restPort;
        this.process = process;
    }

    static BenchController start(Path weft, Path workDir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(workDir);
        Process p = new ProcessBuilder(List.of(weft.toString(), "controller",
                "--rest-listen", "127.0.0.1:" + port,
                "--openflow-listen", "unix:" + workDir.resolve("openflow.sock"),
                "--data-dir", workDir.resolve("data").toString()))
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("weft.log").toFile())
                .start();
        BenchController c = new BenchController(workDir, port, p);
        Runtime.getRuntime().addShutdownHook(new Thread(c::close, "bench-controller-stop"));
        Files.writeString(workDir.resolve("weft.pid"), Long.toString(p.pid()));
        c.awaitHealthy();
        return c;
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

    Path log() {
        return workDir.resolve("weft.log");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
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
