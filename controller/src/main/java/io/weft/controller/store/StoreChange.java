package io.weft.controller.store;

import java.util.List;

/**
 * One commit as listeners see it: the state before, the state after ({@code before.revision() + 1}) and the
 * mutations that led from one to the other, so that a listener learns what changed without comparing whole states.
 */
public record StoreChange(StoreState before, StoreState after, List<Mutation> mutations) {

    public StoreChange {
        mutations = List.copyOf(mutations);
    }
}
