package io.weft.southbound;

import io.weft.model.flow.FailoverGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What turns the groups a switch holds into the desired ones, split by when it may be sent: groups added or changed
 * {@link #beforeFlows} (a flow may name a group only once it exists), groups deleted {@link #afterFlows} (deleting a
 * group also deletes the flows that name it, so only once no desired flow does). Pure.
 */
public record GroupDiff(List<GroupMod> beforeFlows, List<GroupMod> afterFlows) {

    public GroupDiff {
        beforeFlows = List.copyOf(beforeFlows);
        afterFlows = List.copyOf(afterFlows);
    }

    public static GroupDiff between(GroupTable have, Collection<FailoverGroup> want) {
        Map<Long, FailoverGroup> desired = new TreeMap<>();
        for (FailoverGroup g : want) {
            if (desired.put(g.id(), g) != null) {
                throw new IllegalArgumentException("two desired groups have id " + g.id());
            }
        }
        List<GroupMod> before = new ArrayList<>();
        List<GroupMod> after = new ArrayList<>();
        desired.forEach((id, g) -> {
            FailoverGroup held = have.failover().get(id);
            if (held == null && !have.foreign().contains(id)) {
                before.add(new GroupMod.AddGroup(g));
            } else if (!g.equals(held)) {
                before.add(new GroupMod.ModifyGroup(g));     // a foreign group of that id is replaced
            }
        });
        have.failover().keySet().stream().filter(id -> !desired.containsKey(id))
                .forEach(id -> after.add(new GroupMod.DeleteGroup(id)));
        have.foreign().stream().filter(id -> !desired.containsKey(id)).sorted()
                .forEach(id -> after.add(new GroupMod.DeleteGroup(id)));
        return new GroupDiff(before, after);
    }

    public boolean isEmpty() {
        return beforeFlows.isEmpty() && afterFlows.isEmpty();
    }
}
