package io.weft.southbound;

import io.weft.model.flow.FailoverGroup;

/** One change to a switch's group table. */
public sealed interface GroupMod {

    long groupId();

    record AddGroup(FailoverGroup group) implements GroupMod {
        @Override
        public long groupId() {
            return group.id();
        }

        @Override
        public String toString() {
            return "add " + group;
        }
    }

    record ModifyGroup(FailoverGroup group) implements GroupMod {
        @Override
        public long groupId() {
            return group.id();
        }

        @Override
        public String toString() {
            return "modify " + group;
        }
    }

    record DeleteGroup(long groupId) implements GroupMod {
        @Override
        public String toString() {
            return "delete group_id=" + groupId;
        }
    }
}
