package io.weft.southbound;

import io.weft.model.flow.FlowRule;
import io.weft.model.flow.OfctlFormat;

/** One change to a switch's flow table. {@link #toString()} reads like ovs-ofctl so errors can name what failed. */
public sealed interface FlowMod {

    record AddFlow(FlowRule rule) implements FlowMod {
        @Override
        public String toString() {
            return "add " + OfctlFormat.flow(rule);
        }
    }

    /** Same key, new instructions or cookie: MODIFY_STRICT, or an ADD that replaces the flow when the cookie changes. */
    record ModifyFlow(FlowRule old, FlowRule rule) implements FlowMod {
        public boolean cookieChanged() {
            return old.cookie() != rule.cookie();
        }

        @Override
        public String toString() {
            return "modify " + OfctlFormat.flow(rule);
        }
    }

    record DeleteFlow(FlowRule rule) implements FlowMod {
        @Override
        public String toString() {
            return "delete " + OfctlFormat.flow(rule);
        }
    }

    /** Deletes a flow the model cannot express, by its own match. */
    record DeleteForeign(ForeignFlow flow) implements FlowMod {
        @Override
        public String toString() {
            return "delete " + flow;
        }
    }
}
