package io.weft.controller.reconcile;

import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The change between two desired flow sets of one host: rules to add or modify, and keys to delete. Pure. With it a
 * pass sends the programmer only what changed instead of having it diff every flow of the switch again.
 */
record FlowDiff(List<FlowRule> upserts, List<FlowKey> removals) {

    static FlowDiff between(List<FlowRule> before, List<FlowRule> after) {
        Set<FlowRule> old = new HashSet<>(before);
        Set<FlowKey> kept = new HashSet<>();
        List<FlowRule> upserts = new ArrayList<>();
        for (FlowRule r : after) {
            kept.add(r.key());
            if (!old.contains(r)) {
                upserts.add(r);
            }
        }
        List<FlowKey> removals = new ArrayList<>();
        for (FlowRule r : before) {
            if (!kept.contains(r.key())) {
                removals.add(r.key());
            }
        }
        return new FlowDiff(List.copyOf(upserts), List.copyOf(removals));
    }

    boolean isEmpty() {
        return upserts.isEmpty() && removals.isEmpty();
    }
}
