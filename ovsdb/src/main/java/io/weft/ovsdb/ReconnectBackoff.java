package io.weft.ovsdb;

import java.time.Duration;

/** Exponential backoff between reconnect attempts, capped; reset after a successful connection. */
public record ReconnectBackoff(Duration initial, Duration max) {

    public static ReconnectBackoff defaults() {
        return new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(8));
    }

    /** Delay before attempt {@code n} (0-based): initial * 2^n, at most {@code max}. */
    public Duration delay(int attempt) {
        long ms = initial.toMillis() << Math.min(attempt, 30);
        return ms <= 0 || ms > max.toMillis() ? max : Duration.ofMillis(ms);
    }
}
