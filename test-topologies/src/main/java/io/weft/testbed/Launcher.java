package io.weft.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code weftbed/launcher.py} process: spec on its first stdin line, one JSON line out per request.
 * It tears its bed down on {@code down}, on stdin EOF (so a dead JVM leaves nothing behind) and on SIGTERM.
 */
final class Launcher {

    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    private Launcher(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, "weftbed-launcher-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static Launcher start(String specLine) {
        try {
            Path log = Files.createTempFile("weftbed-launcher-", ".log");
            Path script = PythonSource.launcher();
            ProcessBuilder builder = new ProcessBuilder(Prerequisites.PYTHON, script.toString())
                    .redirectError(log.toFile());
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            // The bed's run dir goes where this JVM's temporary files go.
            builder.environment().put("TMPDIR", System.getProperty("java.io.tmpdir"));
            Launcher launcher = new Launcher(builder.start(), log);
            launcher.send(specLine);
            return launcher;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test bed launcher", e);
        }
    }

    long pid() {
        return process.pid();
    }

    synchronized void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("test bed launcher is gone (" + e.getMessage() + ")" + logTail(), e);
        }
    }

    /** The next line the launcher printed; fails with its log when it exits or stays silent too long. */
    String readLine(Duration timeout) {
        try {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException("test bed launcher did not answer within " + timeout
                        + "; what it was running:" + children() + logTail());
            }
            if (line.equals(EOF)) {
                lines.add(EOF);
                throw new IllegalStateException("test bed launcher exited" + exitCode() + logTail());
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the test bed launcher", e);
        }
    }

    /** One command, one answer line. */
    synchronized String request(String command, Duration timeout) {
        send(command);
        return readLine(timeout);
    }

    /** What the JVM dying looks like to the launcher. */
    void closeStdin() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed: the launcher sees EOF either way
        }
    }

    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM (the launcher tears down on it), then SIGKILL if it hangs. */
    void terminate(Duration grace) {
        process.destroy();
        if (!awaitExit(grace)) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(5));
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void deleteLog() {
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a stray log in /tmp is harmless
        }
    }

    String logTail() {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = all.subList(Math.max(0, all.size() - 30), all.size());
            return tail.isEmpty() ? "" : "\n--- launcher log " + log + " ---\n" + String.join("\n", tail);
        } catch (IOException e) {
            return "";
        }
    }

    /** The launcher's process tree, one command line each: where a silent launcher is stuck. */
    private String children() {
        StringBuilder sb = new StringBuilder();
        process.descendants().forEach(p -> sb.append("\n  ").append(p.pid()).append(' ')
                .append(p.info().commandLine().orElse("?")));
        return sb.length() == 0 ? " nothing" : sb.toString();
    }

    private String exitCode() {
        return Optional.of(process).filter(p -> !p.isAlive()).map(p -> " with code " + p.exitValue()).orElse("");
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the process is gone; EOF below tells the waiting side
        } finally {
            lines.add(EOF);
        }
    }
}
