package io.weft.model.flow;

/** What identifies a flow in a switch's table (OpenFlow's "strict" identity): table, priority and match. */
public record FlowKey(int tableId, int priority, Match match) {

    /** The hash of the key of these parts (also {@link FlowRule#keyHash()}, which makes no key). */
    public static int hash(int tableId, int priority, Match match) {
        return 31 * (31 * tableId + priority) + match.hashCode();
    }

    @Override
    public int hashCode() {
        return hash(tableId, priority, match);
    }
}
