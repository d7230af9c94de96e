package io.weft.controller.store;

import java.util.List;

/**
 * One commit as listeners see it: the state before, the state after (at a higher revision: the next one in the
 * embedded store, etcd's revision of the commit in the etcd store) and the mutations that led from one to the
 * other, so that a listener learns what changed without comparing whole states. After an etcd store resynchronised
 * (its watch fell behind a compaction), one change carries the whole difference ({@link StateDiff}).
 */
public record StoreChange(StoreState before, StoreState after, List<Mutation> mutations) {

    public StoreChange {
        mutations = List.copyOf(mutations);
    }
}
