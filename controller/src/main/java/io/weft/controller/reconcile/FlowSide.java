package io.weft.controller.reconcile;

import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One switch's flow programmer as the reconciler needs it. */
public interface FlowSide {

    long datapathId();

    /** Makes the switch hold exactly these flows and groups; completes when the switch acknowledged the change. */
    CompletableFuture<FlowChange> apply(List<FlowRule> flows, List<GroupRule> groups);

    /**
     * Changes only the named flows: {@code upserts} added or modified where they differ from what the switch holds,
     * {@code removals} deleted; every other flow stays. Completes when the switch acknowledged the change.
     */
    CompletableFuture<FlowChange> applyChanges(List<FlowRule> upserts, List<FlowKey> removals);

    /** Port names by OpenFlow port number, as the switch reports them. */
    Map<Long, String> ports();

    /** The flows the switch acknowledged, as the programmer tracks them. */
    List<FlowRule> installedFlows();

    /** What one apply changed. */
    record FlowChange(int added, int modified, int deleted, long micros) {
        public boolean isEmpty() {
            return added == 0 && modified == 0 && deleted == 0;
        }
    }
}
