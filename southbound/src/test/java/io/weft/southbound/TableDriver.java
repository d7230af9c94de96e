package io.weft.southbound;

import io.weft.model.flow.FlowRule;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Drives one switch the way the reconciler does, synchronously, for tests and benches: {@link SwitchFlows} holds the
 * state, the switch is read when it must be, and each batch is sent and acknowledged before the next.
 */
final class TableDriver {

    final SwitchHandle sw;
    final SwitchFlows flows = new SwitchFlows();
    private long generation;

    TableDriver(SwitchHandle sw) {
        this.sw = sw;
    }

    /** Makes the switch hold exactly {@code desired}; what one batch changed. */
    ApplyResult apply(Collection<FlowRule> desired) throws Exception {
        flows.replace(desired, ++generation);
        return sync();
    }

    /** Changes only these flows. */
    ApplyResult change(Collection<FlowRule> removed, Collection<FlowRule> added) throws Exception {
        flows.offer(removed, added, ++generation);
        return sync();
    }

    /** Forgets what the switch holds, as after a reconnection: it is read again before the next batch. */
    void reread() {
        flows.reconnected();
    }

    private ApplyResult sync() throws Exception {
        if (flows.needsRead()) {
            flows.loaded(sw.flows().get(10, TimeUnit.SECONDS));
        }
        Optional<SwitchFlows.Batch> batch = flows.next(generation);
        if (batch.isEmpty()) {
            return ApplyResult.NONE;
        }
        try {
            ApplyResult r = sw.send(batch.get().mods()).get(120, TimeUnit.SECONDS);
            flows.acknowledged(batch.get());
            return r;
        } catch (Exception e) {
            flows.failed(batch.get());
            throw e;
        }
    }

    List<FlowRule> installed() {
        return List.copyOf(flows.installed());
    }
}
