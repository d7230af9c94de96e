package io.weft.ovsdb;

/** Callbacks from an {@link OvsdbHost}, on a Netty event loop: keep them short and never block. */
public interface OvsdbHostListener {

    /** Connected and the initial monitor contents are in the cache. */
    default void connected(OvsdbHost host, OvsdbSnapshot snapshot) {
    }

    default void disconnected(OvsdbHost host, Throwable cause) {
    }

    /** The cache changed (ofports assigned, datapath id set, ports bound by {@code external_ids:iface-id}...). */
    default void cacheChanged(OvsdbHost host, OvsdbSnapshot previous, OvsdbSnapshot current) {
    }
}
