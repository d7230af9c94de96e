package io.weft.model.flow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One flow entry as Weft wants it on a switch. Two rules with the same {@link #key()} cannot coexist on a switch;
 * two equal rules are the same flow. A rule with no instructions drops what it matches.
 *
 * @param cookie names the object that produced the rule (see {@link Cookies})
 */
public record FlowRule(int tableId, int priority, Match match, List<Instruction> instructions, long cookie) {

    public FlowRule {
        if (tableId < 0 || tableId > 254) {
            throw new IllegalArgumentException("table " + tableId + " is outside 0..254");
        }
        if (priority < 0 || priority > 0xffff) {
            throw new IllegalArgumentException("priority " + priority + " is outside 0..65535");
        }
        if (match == null) {
            throw new IllegalArgumentException("match is missing; use Match.ANY");
        }
        List<Instruction> sorted = new ArrayList<>(instructions);
        sorted.sort(Comparator.comparingInt(Instruction::order));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).order() == sorted.get(i - 1).order()) {
                throw new IllegalArgumentException("instruction " + sorted.get(i).getClass().getSimpleName()
                        + " appears twice in one flow");
            }
        }
        instructions = List.copyOf(sorted);
    }

    public FlowKey key() {
        return new FlowKey(tableId, priority, match);
    }

    @Override
    public String toString() {
        return OfctlFormat.flow(this);
    }
}
