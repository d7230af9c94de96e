package io.weft.northbound.rest;

import java.time.Duration;

/**
 * Where the REST API listens and how long {@code ?wait=true} waits when the client names no timeout.
 *
 * @param host bind address, e.g. 127.0.0.1
 * @param port TCP port; 0 picks a free one (see {@link RestServer#port()})
 */
public record RestConfig(String host, int port, Duration defaultWaitTimeout) {

    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(30);

    public RestConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("REST listen host is missing");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("REST listen port " + port + " is outside 0..65535");
        }
        if (defaultWaitTimeout == null || defaultWaitTimeout.isNegative() || defaultWaitTimeout.isZero()) {
            throw new IllegalArgumentException("default wait timeout must be positive");
        }
    }

    /** Parses {@code host:port} such as {@code 127.0.0.1:8080} or {@code 0.0.0.0:0}. */
    public static RestConfig parse(String listen) {
        int colon = listen == null ? -1 : listen.lastIndexOf(':');
        if (colon <= 0 || colon == listen.length() - 1 || !listen.substring(colon + 1).chars().allMatch(Character::isDigit)
                || listen.length() - colon > 6) {
            throw new IllegalArgumentException("REST listen address '" + listen + "' is invalid (expected host:port, "
                    + "e.g. 127.0.0.1:8080)");
        }
        return new RestConfig(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)),
                DEFAULT_WAIT_TIMEOUT);
    }
}
