package io.weft.model.flow;

/** What identifies a flow in a switch's table (OpenFlow's "strict" identity): table, priority and match. */
public record FlowKey(int tableId, int priority, Match match) {
}
