package io.weft.controller.plain;

import io.weft.model.flow.FailoverGroup;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The fast-failover groups of one plain switch, as a pure function of the {@link Paths}: one per other switch that
 * has a {@link Paths#alternatePort loop-free alternate}, its first bucket out of the shortest path's port, its second
 * out of the alternate's. Flows toward that switch's hosts output to the group, so when the first port goes down the
 * switch itself moves them to the second, before the controller hears of it; the controller's reroute follows.
 * Destinations without an alternate keep a plain output (nothing to fail over to).
 *
 * <p>A group's id depends only on its destination's datapath id (a hash; on a clash within one switch, the next free
 * id, in the order of the destinations), so the same topology always gives the same groups.
 */
public final class FailoverGroups {

    private FailoverGroups() {
    }

    /** Destination switch to its group, for {@code dpid}. */
    public static SortedMap<Long, FailoverGroup> forSwitch(Paths paths, Set<Long> switches, long dpid) {
        SortedMap<Long, FailoverGroup> out = new TreeMap<>();
        Set<Long> taken = new HashSet<>();
        for (long destination : switches) {
            if (destination == dpid) {
                continue;
            }
            var primary = paths.nextPort(dpid, destination);
            var alternate = paths.alternatePort(dpid, destination);
            if (primary.isEmpty() || alternate.isEmpty()) {
                continue;
            }
            long id = idOf(destination);
            while (!taken.add(id)) {
                id = id % FailoverGroup.MAX_ID + 1;
            }
            out.put(destination, new FailoverGroup(id, java.util.List.of(FailoverGroup.Bucket.outOf(primary.get()),
                    FailoverGroup.Bucket.outOf(alternate.get()))));
        }
        return out;
    }

    /** Every switch's groups. */
    public static Map<Long, SortedMap<Long, FailoverGroup>> compile(Topology t, Paths paths) {
        Map<Long, SortedMap<Long, FailoverGroup>> out = new TreeMap<>();
        for (long dpid : t.switches()) {
            out.put(dpid, forSwitch(paths, t.switches(), dpid));
        }
        return out;
    }

    /** 1..MAX_ID, from the datapath id alone. */
    static long idOf(long destination) {
        long h = destination * 0x9e37_79b9_7f4a_7c15L;
        return Long.remainderUnsigned(h ^ (h >>> 29), FailoverGroup.MAX_ID) + 1;
    }
}
