package io.weft.controller.store;

/**
 * Whether the store can take a write now, and why not: what a replica shows in its status and what a refused write
 * says.
 *
 * @param writable whether a commit can succeed now
 * @param detail   what the store knows about its state, e.g. "embedded store" or "etcd has no quorum: 2 of 3 members
 *                 unreachable (127.0.0.1:32379, 127.0.0.1:42379)"
 */
public record StoreHealth(boolean writable, String detail) {

    public static final StoreHealth EMBEDDED = new StoreHealth(true, "embedded store");
}
