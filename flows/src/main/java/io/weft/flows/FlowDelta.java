package io.weft.flows;

import io.weft.model.flow.FlowRule;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The change of one host's flows between two snapshots. A flow whose actions changed appears as removed and added
 * with the same {@link FlowRule#key()}: apply removals first (or send the addition as a modify).
 */
public record FlowDelta(List<FlowRule> added, List<FlowRule> removed) {

    public static final FlowDelta EMPTY = new FlowDelta(List.of(), List.of());

    public FlowDelta {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }

    /** The flows after the change, given the flows before it. */
    public Set<FlowRule> applyTo(Collection<FlowRule> before) {
        Set<FlowRule> result = new LinkedHashSet<>(before);
        result.removeAll(removed);
        result.addAll(added);
        return result;
    }

    /** Added = in {@code after} only, removed = in {@code before} only; order follows the inputs. */
    static FlowDelta between(Collection<FlowRule> before, Collection<FlowRule> after) {
        Set<FlowRule> a = new LinkedHashSet<>(after);
        Set<FlowRule> b = new LinkedHashSet<>(before);
        List<FlowRule> removed = b.stream().filter(f -> !a.contains(f)).toList();
        List<FlowRule> added = a.stream().filter(f -> !b.contains(f)).toList();
        return new FlowDelta(added, removed);
    }
}
