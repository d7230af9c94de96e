package io.weft.flows;

import io.weft.model.flow.FlowRule;

/** A compiled flow broke its table's declaration: a compiler bug, never the user's input. */
public final class InvalidFlowException extends IllegalStateException {

    private final transient FlowRule flow;

    public InvalidFlowException(FlowRule flow, String reason) {
        super(reason + ": " + flow);
        this.flow = flow;
    }

    public FlowRule flow() {
        return flow;
    }
}
