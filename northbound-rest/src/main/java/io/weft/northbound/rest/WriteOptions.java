package io.weft.northbound.rest;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * {@code ?wait=true} or {@code ?wait=5s} on a write: whether to answer only once the change is installed on every
 * host, and for how long at most. {@code ?wait=true&timeout=5s} is the older spelling of {@code ?wait=5s}, still
 * accepted. Parsed before anything is committed, so a typo refuses the request rather than half-doing it.
 *
 * @param receivedNanos when the request arrived ({@link System#nanoTime()}), from which {@code installedInMs} counts
 */
record WriteOptions(Optional<Duration> waitFor, long receivedNanos) {

    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    /** wait= needs a unit (wait=1 could mean true); the older timeout= defaults to seconds. */
    private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s|m)");
    private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    static WriteOptions from(Context ctx, Duration defaultTimeout) {
        String wait = ctx.queryParam("wait");
        String timeout = ctx.queryParam("timeout");
        Optional<Duration> waitFor;
        if (wait == null || wait.equalsIgnoreCase("false")) {
            if (timeout != null) {
                throw Problem.badRequest("invalid-parameter", "timeout only applies with wait: use wait=" + timeout
                        + " (or wait=true&timeout=" + timeout + ")");
            }
            waitFor = Optional.empty();
        } else if (wait.isEmpty() || wait.equalsIgnoreCase("true")) {
            waitFor = Optional.of(timeout == null ? defaultTimeout : duration("timeout", timeout, TIMEOUT));
        } else {
            if (timeout != null) {
                throw Problem.badRequest("invalid-parameter", "wait=" + wait + " already says how long to wait: "
                        + "drop timeout");
            }
            waitFor = Optional.of(duration("wait", wait, WAIT));
        }
        return new WriteOptions(waitFor, arrival(ctx));
    }

    /** When Jetty began reading the request: what the orchestrator waits, body and commit included. */
    private static long arrival(Context ctx) {
        try {
            return ServletContextRequest.getServletContextRequest(ctx.req()).getBeginNanoTime();
        } catch (RuntimeException e) {
            return System.nanoTime(); // not behind Jetty's servlet layer (never in the server)
        }
    }

    private static Duration duration(String parameter, String text, Pattern syntax) {
        Matcher m = syntax.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw Problem.badRequest("invalid-parameter", parameter + "='" + text + "' is invalid: use wait=true, "
                    + "wait=false or a duration such as wait=500ms, wait=10s or wait=2m");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw Problem.badRequest("invalid-parameter", parameter + "=" + text + " is outside 1ms..10m");
        }
        return d;
    }
}
