package io.weft.model.flow;

import java.util.List;

/** A group entry (OpenFlow 1.3 group table); equality means "same group on the switch". */
public record GroupRule(long groupId, Type type, List<Bucket> buckets, long cookie) {

    public enum Type { ALL, SELECT, INDIRECT, FF }

    /** One bucket: its actions, and its weight for {@link Type#SELECT} groups (0 otherwise). */
    public record Bucket(int weight, List<Action> actions) {
        public Bucket {
            actions = List.copyOf(actions);
        }
    }

    public GroupRule {
        if (groupId < 0 || groupId > 0xffff_ff00L) {
            throw new IllegalArgumentException("group id " + groupId + " is outside 0..0xffffff00");
        }
        buckets = List.copyOf(buckets);
        if (type == Type.INDIRECT && buckets.size() != 1) {
            throw new IllegalArgumentException("an indirect group has exactly one bucket");
        }
    }
}
