package io.weft.southbound;

import io.weft.model.flow.FailoverGroup;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The groups a switch holds: the fast-failover groups Weft can express, by id, and the ids of any others (another
 * type, or buckets the model cannot read), which are not Weft's.
 */
public record GroupTable(SortedMap<Long, FailoverGroup> failover, Set<Long> foreign) {

    public static final GroupTable EMPTY = new GroupTable(new TreeMap<>(), Set.of());

    public GroupTable {
        failover = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(failover));
        foreign = Set.copyOf(foreign);
    }

    public static GroupTable of(Map<Long, FailoverGroup> failover) {
        return new GroupTable(new TreeMap<>(failover), Set.of());
    }

    /** This table once {@code mods} are applied. */
    public GroupTable after(java.util.List<GroupMod> mods) {
        TreeMap<Long, FailoverGroup> out = new TreeMap<>(failover);
        java.util.Set<Long> others = new java.util.HashSet<>(foreign);
        for (GroupMod m : mods) {
            others.remove(m.groupId());
            if (m instanceof GroupMod.AddGroup a) {
                out.put(a.groupId(), a.group());
            } else if (m instanceof GroupMod.ModifyGroup g) {
                out.put(g.groupId(), g.group());
            } else {
                out.remove(m.groupId());
            }
        }
        return new GroupTable(out, others);
    }
}
