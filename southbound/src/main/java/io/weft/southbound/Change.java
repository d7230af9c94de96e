package io.weft.southbound;

import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import io.weft.model.flow.OfctlFormat;

/** One planned switch change. {@link #toString()} reads like ovs-ofctl so errors can name what failed. */
public sealed interface Change {

    boolean isFlowMod();

    record AddFlow(FlowRule rule) implements Change {
        public boolean isFlowMod() {
            return true;
        }

        @Override
        public String toString() {
            return "add " + OfctlFormat.flow(rule);
        }
    }

    /** Same key, new instructions or cookie: MODIFY_STRICT, or an ADD that replaces the flow when the cookie changes. */
    record ModifyFlow(FlowRule old, FlowRule rule) implements Change {
        public boolean isFlowMod() {
            return true;
        }

        public boolean cookieChanged() {
            return old.cookie() != rule.cookie();
        }

        @Override
        public String toString() {
            return "modify " + OfctlFormat.flow(rule);
        }
    }

    record DeleteFlow(FlowRule rule) implements Change {
        public boolean isFlowMod() {
            return true;
        }

        @Override
        public String toString() {
            return "delete " + OfctlFormat.flow(rule);
        }
    }

    record DeleteForeign(ForeignFlow flow) implements Change {
        public boolean isFlowMod() {
            return true;
        }

        @Override
        public String toString() {
            return "delete " + flow;
        }
    }

    record AddGroup(GroupRule group) implements Change {
        public boolean isFlowMod() {
            return false;
        }

        @Override
        public String toString() {
            return "add group " + OfctlFormat.group(group);
        }
    }

    record ModifyGroup(GroupRule group) implements Change {
        public boolean isFlowMod() {
            return false;
        }

        @Override
        public String toString() {
            return "modify group " + OfctlFormat.group(group);
        }
    }

    record DeleteGroup(GroupRule group) implements Change {
        public boolean isFlowMod() {
            return false;
        }

        @Override
        public String toString() {
            return "delete group " + OfctlFormat.group(group);
        }
    }
}
