package io.weft.flows;

import io.weft.model.flow.FlowRule;
import java.util.List;
import java.util.Optional;

/**
 * What the pipeline did with one packet on one host: the flow matched in each table visited, and the outcome.
 *
 * @param steps   in order; a step's flow is empty on a table miss with no flow at all
 * @param outcome where the packet went
 */
public record Trace(List<Step> steps, Outcome outcome) {

    public Trace {
        steps = List.copyOf(steps);
    }

    /** One table visited: the flow that matched and the packet and metadata after its instructions ran. */
    public record Step(Table table, Optional<FlowRule> flow, Packet packet, long metadata) {
    }

    /** One copy of the packet leaving the switch, as modified; {@code port} is a real port ({@code IN_PORT} resolved). */
    public record Output(long port, Packet packet) {
    }

    public sealed interface Outcome permits Forwarded, Dropped {
    }

    /** Sent out of one or more ports. */
    public record Forwarded(List<Output> outputs) implements Outcome {
        public Forwarded {
            outputs = List.copyOf(outputs);
        }
    }

    /** Dropped, with the reason (which table, or TTL). */
    public record Dropped(String reason) implements Outcome {
    }

    public boolean isDropped() {
        return outcome instanceof Dropped;
    }

    public List<Output> outputs() {
        return outcome instanceof Forwarded f ? f.outputs() : List.of();
    }

    /** The single output, failing when the packet was dropped or copied. */
    public Output singleOutput() {
        List<Output> outputs = outputs();
        if (outputs.size() != 1) {
            throw new IllegalStateException("expected one output, got " + outcome + " after " + describe());
        }
        return outputs.get(0);
    }

    /** One line per step, for failure messages and the controller's packet trace. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            sb.append(s.table().name()).append(": ")
                    .append(s.flow().map(FlowRule::toString).orElse("(no flow: table miss)")).append('\n');
        }
        sb.append("=> ").append(outcome);
        return sb.toString();
    }
}
