package io.weft.cli;

import io.weft.e2e.WeftProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/weft} run as an operator runs it, against a real controller ({@code bin/weft controller}) of its own:
 * each command's exit status and what it printed. Closing it stops the controller and removes the work directory.
 */
final class WeftCli implements AutoCloseable {

    static final Path WEFT = Path.of("..", "bin", "weft").toAbsolutePath().normalize();

    record Result(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final WeftProcess controller;
    private final String url;
    private final Path workDir;
    private int runs;

    private WeftCli(WeftProcess controller, Path workDir) {
        this.controller = controller;
        this.url = "http://127.0.0.1:" + controller.restPort();
        this.workDir = workDir;
    }

    /** Starts a controller and returns the command line that talks to it. */
    static WeftCli withController() throws IOException {
        Path work = Files.createTempDirectory("weft-cli-");
        return new WeftCli(new WeftProcess(work.resolve("controller")).start(), work);
    }

    WeftProcess controller() {
        return controller;
    }

    Path workDir() {
        return workDir;
    }

    @Override
    public void close() throws Exception {
        controller.close();
        try (var paths = Files.walk(workDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs {@code weft ARGS} with WEFT_URL set to the controller, and waits for it (a minute at most). */
    Result run(String... args) {
        runs++;
        Path out = workDir.resolve("cli-" + runs + ".out");
        Path err = workDir.resolve("cli-" + runs + ".err");
        try {
            Process p = start(out, err, args);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("weft " + String.join(" ", args) + " did not end within a minute");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts {@code weft ARGS} and leaves it running; stdout and stderr go to the given files. */
    Process start(Path out, Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(WEFT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("WEFT_URL", url);
        pb.environment().remove("WEFT_TOKEN");
        pb.environment().remove("WEFT_TOKEN_FILE");
        return pb.start();
    }
}
