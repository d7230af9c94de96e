package io.weft.northbound.rest;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ?wait=true&timeout=10s} on a write: whether to answer only once the change is installed on every host, and
 * for how long to wait. Parsed before anything is committed, so a typo refuses the request rather than half-doing it.
 */
record WriteOptions(Optional<Duration> waitFor, long receivedNanos) {

    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    static WriteOptions from(Context ctx, Duration defaultTimeout) {
        String wait = ctx.queryParam("wait");
        String timeout = ctx.queryParam("timeout");
        boolean waiting;
        if (wait == null || wait.equalsIgnoreCase("false")) {
            waiting = false;
        } else if (wait.isEmpty() || wait.equalsIgnoreCase("true")) {
            waiting = true;
        } else {
            throw Problem.badRequest("invalid-parameter", "wait='" + wait + "' is invalid: use wait=true or "
                    + "wait=false");
        }
        Duration d = timeout == null ? defaultTimeout : parseTimeout(timeout);
        if (timeout != null && !waiting) {
            throw Problem.badRequest("invalid-parameter", "timeout only applies with wait=true: add wait=true or "
                    + "drop timeout");
        }
        // installedInMs counts from here: what the orchestrator waits, commit included.
        return new WriteOptions(waiting ? Optional.of(d) : Optional.empty(), System.nanoTime());
    }

    private static Duration parseTimeout(String text) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw Problem.badRequest("invalid-parameter", "timeout='" + text + "' is invalid: use e.g. 500ms, 10s "
                    + "or 2m");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw Problem.badRequest("invalid-parameter", "timeout=" + text + " is outside 1ms..10m");
        }
        return d;
    }
}
