package io.weft.ovsdb;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Decides which {@link OvsdbHost} session a passive OVSDB connection belongs to, possibly after registering it. */
@FunctionalInterface
public interface PassiveHostLookup {

    /**
     * The session to attach the connection to. Fails when the connection is refused, with a message that tells the
     * operator what to change on the host; the listener logs it and closes the connection.
     */
    CompletableFuture<OvsdbHost> sessionFor(PassiveIdentity caller);

    /** Accepts only system-ids that {@code bySystemId} already knows. */
    static PassiveHostLookup knownHosts(Function<String, Optional<OvsdbHost>> bySystemId) {
        return caller -> bySystemId.apply(caller.systemId()).map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("system-id "
                        + caller.systemId() + " is not a known host")));
    }
}
