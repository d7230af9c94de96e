package io.weft.controller.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * An etcd cluster that holds a controller's state, as the operator named it: {@code etcd://HOST:PORT[,HOST:PORT...]}
 * with an optional key prefix path ({@code etcd://127.0.0.1:2379/weft-a}; default {@code /weft}), so that several
 * Weft deployments can share one cluster. Every replica of one deployment is given the same target.
 *
 * @param endpoints {@code HOST:PORT} of each member's client URL (plain HTTP/2)
 * @param prefix    the key prefix every key of this deployment lives under; starts with '/', never ends with one
 */
public record EtcdTarget(List<String> endpoints, String prefix) {

    public static final String SCHEME = "etcd://";
    public static final String DEFAULT_PREFIX = "/weft";

    public EtcdTarget {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("an etcd target needs at least one HOST:PORT");
        }
        for (String e : endpoints) {
            int colon = e.lastIndexOf(':');
            if (colon <= 0 || colon == e.length() - 1 || !e.substring(colon + 1).chars().allMatch(Character::isDigit)
                    || e.contains("/")) {
                throw new IllegalArgumentException("etcd member '" + e + "' is not HOST:PORT");
            }
            int port = Integer.parseInt(e.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("etcd member '" + e + "': port " + port + " is outside 1..65535");
            }
        }
        if (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")) {
            throw new IllegalArgumentException("etcd key prefix '" + prefix + "' must start with '/' and not end "
                    + "with one");
        }
    }

    /** Parses {@code etcd://HOST:PORT[,HOST:PORT...][/PREFIX]}. */
    public static EtcdTarget parse(String text) {
        if (text == null || !text.startsWith(SCHEME)) {
            throw new IllegalArgumentException("store '" + text + "' is not etcd://HOST:PORT[,HOST:PORT...][/PREFIX]");
        }
        String rest = text.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String members = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? DEFAULT_PREFIX : rest.substring(slash);
        return new EtcdTarget(Arrays.stream(members.split(",", -1)).map(String::strip).toList(), prefix);
    }

    /** A jetcd client for these members; the caller closes it. */
    public Client connect() {
        return Client.builder().endpoints(endpoints.stream().map(e -> "http://" + e).toArray(String[]::new)).build();
    }

    /** The key {@code prefix + "/" + relative}: every key of this deployment is formed here. */
    public String keyText(String relative) {
        return prefix + "/" + relative;
    }

    /** {@link #keyText} as etcd bytes. */
    public ByteSequence key(String relative) {
        return ByteSequence.from(keyText(relative), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return SCHEME + String.join(",", endpoints) + (prefix.equals(DEFAULT_PREFIX) ? "" : prefix);
    }
}
