package io.weft.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real controller, started with {@code bin/weft controller} as an operator would, with its own data directory,
 * REST port and OpenFlow socket so that runs never collide. Kill it with SIGKILL or stop it with SIGTERM.
 */
final class WeftProcess implements AutoCloseable {

    private static final Path WEFT = Path.of("..", "bin", "weft").toAbsolutePath().normalize();

    private final Path workDir;
    private final int restPort;
    private Process process;
    private int starts;

    WeftProcess(Path workDir) throws IOException {
        this.workDir = workDir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.restPort = s.getLocalPort();
        }
        Files.createDirectories(workDir);
    }

    URI api() {
        return URI.create("http://127.0.0.1:" + restPort + "/api/v1");
    }

    Path log() {
        return workDir.resolve("weft-" + starts + ".log");
    }

    /** Where the controller keeps its store. */
    Path dataDir() {
        return workDir.resolve("data");
    }

    private Process launch() throws IOException {
        starts++;
        return new ProcessBuilder(List.of(WEFT.toString(), "controller",
                "--rest-listen", "127.0.0.1:" + restPort,
                "--openflow-listen", "unix:" + workDir.resolve("openflow.sock"),
                "--data-dir", dataDir().toString()))
                .redirectErrorStream(true)
                .redirectOutput(log().toFile())
                .start();
    }

    WeftProcess start() throws IOException {
        process = launch();
        HttpClient http = HttpClient.newHttpClient();
        await("controller health").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("weft exited: " + Files.readString(log()));
                    }
                    return http.send(HttpRequest.newBuilder(URI.create(api() + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                });
        return this;
    }

    /** What a controller run that ended by itself left: its exit status and everything it printed. */
    record Exit(int status, String output) {
    }

    /** Starts a controller that is expected to stop by itself (a refusal) within {@code timeout}. */
    Exit startExpectingExit(Duration timeout) throws IOException, InterruptedException {
        process = launch();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stop();
            throw new AssertionError("weft was expected to exit but kept running: " + logText());
        }
        return new Exit(process.exitValue(), logText());
    }

    /** Stops the controller as an operator would (SIGTERM) and waits until it is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    void kill9() throws InterruptedException {
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
