package io.weft.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command in a node's network namespace: {@code nsenter --net=/proc/PID/ns/net}, where PID is the
 * node's shell. Only the network namespace is entered (Mininet nodes share the mount namespace), so run dirs
 * and unix sockets are reachable by the same paths from everywhere.
 */
final class NamespaceExec {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private NamespaceExec() { }

    static ExecResult run(long pid, Map<String, String> env, Duration timeout, String... argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("no command given");
        }
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "--"));
        command.addAll(List.of(argv));
        return command(command, env, timeout);
    }

    /** Runs a command where this JVM runs, with extra environment variables; output collected, bounded by timeout. */
    static ExecResult command(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new ExecResult(ExecResult.TIMED_OUT, get(out), "timed out after " + timeout + ": "
                        + String.join(" ", command) + "\n" + get(err));
            }
            return new ExecResult(process.exitValue(), get(out), get(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Own thread per stream: the common pool is too small on 2 cores to block in. */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.complete("");
            }
        }, "weftbed-exec-reader");
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    private static String get(CompletableFuture<String> text) {
        try {
            return text.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
