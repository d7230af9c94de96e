package io.weft.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import io.weft.model.Ipv4Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which Weft network each pool token stands for ({@link PoolId}). Docker keeps a network's PoolIDs for its lifetime
 * and the token is the only thing it quotes back, so the book is kept in {@code pools.json} under the agent's state
 * directory (written atomically), and survives the agent's restarts. Tokens not yet tied to a network wait for it.
 */
final class PoolBook {

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Unclaimed(String token, Ipv4Cidr cidr) {
    }

    private final Path file;
    private final Map<String, String> networks;
    private final List<Unclaimed> unclaimed = new ArrayList<>();
    private final Map<String, CompletableFuture<String>> waiting = new HashMap<>();

    PoolBook(Path stateDir) {
        this.file = stateDir.resolve("pools.json");
        try {
            Files.createDirectories(stateDir);
            networks = Files.exists(file)
                    ? new TreeMap<>(WeftApi.JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }))
                    : new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("state " + file + ": " + e.getMessage(), e);
        }
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A token for a pool of a network being created with docker; {@link #claim} ties it to that creation. */
    synchronized String issue(Ipv4Cidr cidr) {
        String token = randomHex(8);
        unclaimed.add(new Unclaimed(token, cidr));
        waiting.put(token, new CompletableFuture<>());
        return token;
    }

    /** The tokens issued for these pools (oldest first), for the CreateNetwork that follows their RequestPools. */
    synchronized List<String> claim(List<Ipv4Cidr> pools) {
        List<String> tokens = new ArrayList<>();
        for (Ipv4Cidr cidr : pools) {
            for (Iterator<Unclaimed> it = unclaimed.iterator(); it.hasNext(); ) {
                Unclaimed u = it.next();
                if (u.cidr().equals(cidr)) {
                    tokens.add(u.token());
                    it.remove();
                    break;
                }
            }
        }
        return tokens;
    }

    synchronized void resolve(List<String> tokens, String network) {
        tokens.forEach(t -> networks.put(t, network));
        save();
        tokens.forEach(t -> Optional.ofNullable(waiting.remove(t)).ifPresent(f -> f.complete(network)));
    }

    synchronized void fail(List<String> tokens, String why) {
        tokens.forEach(t -> Optional.ofNullable(waiting.remove(t))
                .ifPresent(f -> f.completeExceptionally(new PluginException(why))));
    }

    /** Forgets the tokens of a network that was deleted. */
    synchronized void forget(String network) {
        if (networks.values().removeIf(network::equals)) {
            save();
        }
    }

    /** The network of {@code token}, waiting at most {@code wait} for a creation in progress. */
    String network(String token, Duration wait) {
        CompletableFuture<String> pending;
        synchronized (this) {
            String known = networks.get(token);
            if (known != null) {
                return known;
            }
            pending = waiting.get(token);
        }
        if (pending == null) {
            throw new PluginException("pool token " + token + " belongs to no Weft network this agent knows: the "
                    + "network's creation failed or its record was lost; remove the Docker network and create it "
                    + "again");
        }
        try {
            return pending.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PluginException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PluginException("the network is still being created in Weft; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginException("interrupted");
        }
    }

    /** The network of a token without waiting, if known. */
    synchronized Optional<String> known(String token) {
        return Optional.ofNullable(networks.get(token));
    }

    private void save() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            WeftApi.JSON.writeValue(tmp.toFile(), networks);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("state " + file + ": " + e.getMessage(), e);
        }
    }
}
