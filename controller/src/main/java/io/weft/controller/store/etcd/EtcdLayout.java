package io.weft.controller.store.etcd;

import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.store.Codec;
import io.weft.controller.store.Mutation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Network;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the intent lives in etcd, and how keys and values become mutations and back. Under the deployment's prefix:
 * <pre>
 *   PREFIX/intent/hosts/NAME                 a host        (JSON, as {@link Codec} writes it for both stores)
 *   PREFIX/intent/networks/NAME              a network
 *   PREFIX/intent/endpoints/NETWORK/NAME     an endpoint
 *   PREFIX/intent/guard                      written by every commit: its mod_revision is the intent's revision
 * </pre>
 * A key under {@code intent/} that is none of these, or a value that does not decode to the record its key names,
 * is refused ({@link DamagedEtcdKeyException}), never guessed at. Pure.
 */
final class EtcdLayout {

    static final String HOSTS = "hosts/";
    static final String NETWORKS = "networks/";
    static final String ENDPOINTS = "endpoints/";
    static final String GUARD = "guard";

    private final String intent;

    EtcdLayout(EtcdTarget target) {
        this.intent = target.keyText("intent/");
    }

    /** Every intent key starts with this. */
    String intentPrefix() {
        return intent;
    }

    String guardKey() {
        return intent + GUARD;
    }

    /**
     * What a commit of {@code mutations} writes: each key with its new value, or empty to delete it. A key written
     * twice keeps its last write (etcd refuses a transaction that names a key twice; the state it leaves is the same).
     */
    Map<String, Optional<String>> writes(Iterable<Mutation> mutations) {
        Map<String, Optional<String>> writes = new LinkedHashMap<>();
        for (Mutation m : mutations) {
            String key = key(m);
            writes.remove(key);
            writes.put(key, value(m));
        }
        return writes;
    }

    String key(Mutation m) {
        if (m instanceof Mutation.PutHost p) {
            return intent + HOSTS + p.host().name();
        } else if (m instanceof Mutation.DeleteHost d) {
            return intent + HOSTS + d.name();
        } else if (m instanceof Mutation.PutNetwork p) {
            return intent + NETWORKS + p.network().name();
        } else if (m instanceof Mutation.DeleteNetwork d) {
            return intent + NETWORKS + d.name();
        } else if (m instanceof Mutation.PutEndpoint p) {
            return intent + ENDPOINTS + Codec.key(p.endpoint().id());
        } else if (m instanceof Mutation.DeleteEndpoint d) {
            return intent + ENDPOINTS + Codec.key(d.id());
        }
        throw new IllegalArgumentException("unknown mutation " + m);
    }

    private static Optional<String> value(Mutation m) {
        if (m instanceof Mutation.PutHost p) {
            return Optional.of(Codec.encode(p.host()));
        } else if (m instanceof Mutation.PutNetwork p) {
            return Optional.of(Codec.encode(p.network()));
        } else if (m instanceof Mutation.PutEndpoint p) {
            return Optional.of(Codec.encode(p.endpoint()));
        }
        return Optional.empty();
    }

    /**
     * The mutation that a key's new value (or its deletion, {@code value} empty) makes; empty for the guard.
     *
     * @throws DamagedEtcdKeyException if the key is not an intent key, or its value is not the record it names
     */
    Optional<Mutation> mutation(String key, Optional<String> value) {
        if (!key.startsWith(intent)) {
            throw new DamagedEtcdKeyException(key, "it is outside " + intent);
        }
        String relative = key.substring(intent.length());
        if (relative.equals(GUARD)) {
            return Optional.empty();
        }
        try {
            if (relative.startsWith(HOSTS) && isName(relative.substring(HOSTS.length()))) {
                String name = relative.substring(HOSTS.length());
                if (value.isEmpty()) {
                    return Optional.of(new Mutation.DeleteHost(name));
                }
                Host h = Codec.decodeHost(value.get());
                requireSame(key, "host", name, h.name());
                return Optional.of(new Mutation.PutHost(h));
            }
            if (relative.startsWith(NETWORKS) && isName(relative.substring(NETWORKS.length()))) {
                String name = relative.substring(NETWORKS.length());
                if (value.isEmpty()) {
                    return Optional.of(new Mutation.DeleteNetwork(name));
                }
                Network n = Codec.decodeNetwork(value.get());
                requireSame(key, "network", name, n.name());
                return Optional.of(new Mutation.PutNetwork(n));
            }
            if (relative.startsWith(ENDPOINTS)) {
                String[] parts = relative.substring(ENDPOINTS.length()).split("/", -1);
                if (parts.length == 2 && isName(parts[0]) && isName(parts[1])) {
                    EndpointId id = new EndpointId(parts[0], parts[1]);
                    if (value.isEmpty()) {
                        return Optional.of(new Mutation.DeleteEndpoint(id));
                    }
                    Endpoint e = Codec.decodeEndpoint(value.get());
                    requireSame(key, "endpoint", id.toString(), e.id().toString());
                    return Optional.of(new Mutation.PutEndpoint(e));
                }
            }
        } catch (DamagedEtcdKeyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DamagedEtcdKeyException(key, "its value does not decode (" + e.getMessage() + ")");
        }
        throw new DamagedEtcdKeyException(key, "Weft keeps no such key under " + intent);
    }

    private static boolean isName(String s) {
        return !s.isEmpty() && s.indexOf('/') < 0;
    }

    private static void requireSame(String key, String what, String inKey, String inValue) {
        if (!inKey.equals(inValue)) {
            throw new DamagedEtcdKeyException(key, "it holds " + what + " " + inValue + ", not " + inKey);
        }
    }
}
