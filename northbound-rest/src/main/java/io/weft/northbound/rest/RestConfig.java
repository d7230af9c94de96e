package io.weft.northbound.rest;

import io.weft.controller.ControllerSettings;
import io.weft.ovsdb.SslConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how the REST API listens: {@code --rest-listen [http://|https://]HOST:PORT}; HTTPS with the controller's
 * {@code --tls-cert}/{@code --tls-key}; bearer tokens from {@code --rest-tokens}; and how long {@code ?wait=true}
 * waits when the client names no duration.
 *
 * @param tls      the key and certificate HTTPS serves; present exactly when {@code listen.https()}
 * @param tokens   who may call the API; without them every request is let through
 * @param insecure the operator accepts listening beyond loopback without HTTPS or tokens
 */
public record RestConfig(Listen listen, Duration defaultWaitTimeout, Optional<SslConfig> tls,
                         Optional<BearerTokens> tokens, boolean insecure) {

    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param https whether the address said {@code https://}
     * @param host  bind address, e.g. 127.0.0.1
     * @param port  TCP port; 0 picks a free one (see {@link RestServer#port()})
     */
    public record Listen(boolean https, String host, int port) {

        private static final Pattern SYNTAX = Pattern.compile(
                "(?:(https?)://)?(\\[[0-9A-Fa-f:.]+]|[^:/\\[\\]]+):(\\d{1,5})");

        public Listen {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("REST listen host is missing");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("REST listen port " + port + " is outside 0..65535");
            }
        }

        /** Parses {@code 127.0.0.1:8080}, {@code http://0.0.0.0:0} or {@code https://[::1]:8443}. */
        public static Listen parse(String text) {
            Matcher m = SYNTAX.matcher(text == null ? "" : text);
            if (!m.matches()) {
                throw new IllegalArgumentException("REST listen address '" + text + "' is invalid (expected "
                        + "[http://|https://]host:port, e.g. 127.0.0.1:8080 or https://0.0.0.0:8443)");
            }
            String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1)
                    : m.group(2);
            return new Listen("https".equals(m.group(1)), host, Integer.parseInt(m.group(3)));
        }

        @Override
        public String toString() {
            return (https ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public RestConfig {
        if (defaultWaitTimeout == null || defaultWaitTimeout.isNegative() || defaultWaitTimeout.isZero()) {
            throw new IllegalArgumentException("default wait timeout must be positive");
        }
        if (listen.https() != tls.isPresent()) {
            throw new IllegalArgumentException(listen.https()
                    ? "--rest-listen " + listen + " needs the controller's certificate: give --tls-cert, --tls-key "
                            + "and --tls-ca"
                    : "TLS files are only used with --rest-listen https://HOST:PORT");
        }
    }

    /** Plain HTTP on {@code listen} (which must not say https), no tokens: loopback tests and the like. */
    public static RestConfig parse(String listen) {
        return new RestConfig(Listen.parse(listen), DEFAULT_WAIT_TIMEOUT, Optional.empty(), Optional.empty(), false);
    }

    /** The REST API as the operator configured the controller. */
    public static RestConfig of(ControllerSettings settings) {
        Listen listen = Listen.parse(settings.restListen());
        return new RestConfig(listen, DEFAULT_WAIT_TIMEOUT, listen.https() ? settings.tls() : Optional.empty(),
                settings.restTokens().map(BearerTokens::load), settings.insecure());
    }

    public String host() {
        return listen.host();
    }

    public int port() {
        return listen.port();
    }

    public RestConfig withTls(SslConfig files) {
        return new RestConfig(new Listen(true, listen.host(), listen.port()), defaultWaitTimeout, Optional.of(files),
                tokens, insecure);
    }

    public RestConfig withTokens(BearerTokens t) {
        return new RestConfig(listen, defaultWaitTimeout, tls, Optional.of(t), insecure);
    }

    public RestConfig withDefaultWait(Duration d) {
        return new RestConfig(listen, d, tls, tokens, insecure);
    }

    public RestConfig withInsecure(boolean accepted) {
        return new RestConfig(listen, defaultWaitTimeout, tls, tokens, accepted);
    }

    /**
     * Why the server must not start as configured: beyond loopback, anyone who reaches the port could read and change
     * every network, so it needs HTTPS and tokens there, unless the operator said {@code --insecure}.
     */
    public Optional<String> exposureRefusal() {
        if (insecure || isLoopback()) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>();
        if (!listen.https()) {
            missing.add("HTTPS (--rest-listen https://HOST:PORT with --tls-cert, --tls-key, --tls-ca)");
        }
        if (tokens.isEmpty()) {
            missing.add("bearer tokens (--rest-tokens FILE)");
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("refusing to serve the REST API on " + listen + ", beyond loopback, without "
                        + String.join(" and without ", missing) + ": anyone who reaches it could read and change "
                        + "every network. Add what is missing, listen on 127.0.0.1, or pass --insecure to accept it");
    }

    boolean isLoopback() {
        try {
            return InetAddress.getByName(listen.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
