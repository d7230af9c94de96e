package io.weft.controller.reconcile;

import io.weft.model.ovs.DesiredBridge;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One host's OVSDB session as the reconciler needs it. */
public interface OvsdbSide extends AutoCloseable {

    /** The side of a host whose session could not be opened: never connected, refuses every apply. */
    OvsdbSide UNREACHABLE = new OvsdbSide() {
        @Override
        public boolean connected() {
            return false;
        }

        @Override
        public BridgePorts bridgePorts() {
            return BridgePorts.NONE;
        }

        @Override
        public Optional<Long> datapathId() {
            return Optional.empty();
        }

        @Override
        public CompletableFuture<?> apply(DesiredBridge desired) {
            return CompletableFuture.failedFuture(new IllegalStateException("no OVSDB session"));
        }

        @Override
        public void close() {
        }
    };

    boolean connected();

    /**
     * Ports on the integration bridge, from the monitored cache; none when the bridge does not exist yet. The same
     * instance while the cache is unchanged, so a caller can tell that nothing moved.
     */
    BridgePorts bridgePorts();

    /** br-int's datapath id, which is how an OpenFlow connection is matched to this host. */
    Optional<Long> datapathId();

    /** Diffs {@code desired} against the cache and applies the difference; completes once OVS applied it. */
    CompletableFuture<?> apply(DesiredBridge desired);

    /** Whether the cache shows the bridge as {@code desired} has it: nothing would be sent. */
    default boolean holds(DesiredBridge desired) {
        return false;
    }

    /**
     * From now on every write is fenced as leader {@code generation}; the host is taken over now. Fails with
     * {@link io.weft.ovsdb.FencedException} when a newer leader holds it.
     */
    default CompletableFuture<?> lead(long generation) {
        return CompletableFuture.completedFuture(null);
    }

    /** From now on nothing is written, not even again after a reconnect. */
    default void follow() {
    }

    @Override
    void close();
}
