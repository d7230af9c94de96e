package io.weft.southbound;

import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure diff of desired against installed state. The order is what keeps every intermediate state valid on a switch
 * that applies messages in order: groups are added or changed before flows that may use them, flows are removed
 * before the groups they used, and nothing is ever emptied to be refilled.
 */
public final class DiffPlanner {

    private DiffPlanner() {
    }

    /** Desired flows keyed by (table, priority, match), canonicalised; two different rules with one key are an error. */
    public static Map<FlowKey, FlowRule> index(Collection<FlowRule> desired) {
        Map<FlowKey, FlowRule> byKey = new HashMap<>(desired.size() * 2);
        for (FlowRule r : desired) {
            FlowRule c = FlowTranslator.canonical(r);
            FlowRule prev = byKey.putIfAbsent(c.key(), c);
            if (prev != null && !prev.equals(c)) {
                throw new IllegalArgumentException("two desired flows share table, priority and match: " + prev
                        + " and " + c);
            }
        }
        return byKey;
    }

    public static Map<Long, GroupRule> indexGroups(Collection<GroupRule> desired) {
        Map<Long, GroupRule> byId = new LinkedHashMap<>();
        for (GroupRule g : desired) {
            GroupRule c = FlowTranslator.canonical(g);
            GroupRule prev = byId.putIfAbsent(c.groupId(), c);
            if (prev != null && !prev.equals(c)) {
                throw new IllegalArgumentException("two desired groups share id " + c.groupId());
            }
        }
        return byId;
    }

    public static List<Change> plan(Map<FlowKey, FlowRule> desired, Map<Long, GroupRule> desiredGroups,
            Map<FlowKey, FlowRule> installed, Map<Long, GroupRule> installedGroups, Collection<ForeignFlow> foreign) {
        List<Change> groupAdds = new ArrayList<>();
        List<Change> groupDeletes = new ArrayList<>();
        for (GroupRule g : desiredGroups.values()) {
            GroupRule have = installedGroups.get(g.groupId());
            if (have == null) {
                groupAdds.add(new Change.AddGroup(g));
            } else if (!have.equals(g)) {
                groupAdds.add(new Change.ModifyGroup(g));
            }
        }
        for (GroupRule g : installedGroups.values()) {
            if (!desiredGroups.containsKey(g.groupId())) {
                groupDeletes.add(new Change.DeleteGroup(g));
            }
        }

        List<Change> flowDeletes = new ArrayList<>();
        List<Change> flowUpserts = new ArrayList<>();
        for (ForeignFlow f : foreign) {
            flowDeletes.add(new Change.DeleteForeign(f));
        }
        int kept = 0;
        for (Map.Entry<FlowKey, FlowRule> e : desired.entrySet()) {
            FlowRule want = e.getValue();
            FlowRule have = installed.get(e.getKey());
            if (have == null) {
                flowUpserts.add(new Change.AddFlow(want));
            } else {
                kept++;
                if (have != want && !have.equals(want)) {
                    flowUpserts.add(new Change.ModifyFlow(have, want));
                }
            }
        }
        if (kept < installed.size()) {
            // Only scan for extraneous flows when some installed key was not matched (the common no-delete case
            // skips a second pass over 100k flows).
            for (Map.Entry<FlowKey, FlowRule> e : installed.entrySet()) {
                if (!desired.containsKey(e.getKey())) {
                    flowDeletes.add(new Change.DeleteFlow(e.getValue()));
                }
            }
        }

        List<Change> plan = new ArrayList<>(groupAdds.size() + flowDeletes.size() + flowUpserts.size()
                + groupDeletes.size());
        plan.addAll(groupAdds);
        plan.addAll(flowDeletes);
        plan.addAll(flowUpserts);
        plan.addAll(groupDeletes);
        return plan;
    }
}
