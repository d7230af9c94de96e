package io.weft.flows;

import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.List;

/** Every compiled flow is born here, and checked against its table on the way out. */
final class Rules {

    /** Flows the compiler means. */
    static final int PRIORITY = 100;
    /** Table-miss flows. */
    static final int MISS = 0;

    private Rules() {
    }

    static FlowRule rule(Table table, int priority, Match match, long cookie, Instruction... instructions) {
        return Pipeline.validate(new FlowRule(table.number(), priority, match, List.of(instructions), cookie));
    }
}
