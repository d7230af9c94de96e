package io.weft.controller.adapters;

import io.weft.controller.reconcile.FlowSide;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import io.weft.southbound.ApplyResult;
import io.weft.southbound.SwitchHandle;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** A connected switch's {@link io.weft.southbound.FlowProgrammer} seen as the reconciler's {@link FlowSide}. */
public final class ProgrammerFlowSide implements FlowSide {

    private final SwitchHandle handle;

    public ProgrammerFlowSide(SwitchHandle handle) {
        this.handle = handle;
    }

    @Override
    public long datapathId() {
        return handle.datapathId();
    }

    @Override
    public CompletableFuture<FlowChange> apply(List<FlowRule> flows, List<GroupRule> groups) {
        return handle.programmer().apply(flows, groups).thenApply(ProgrammerFlowSide::change);
    }

    @Override
    public CompletableFuture<FlowChange> applyChanges(List<FlowRule> upserts, List<FlowKey> removals) {
        return handle.programmer().applyChanges(upserts, removals).thenApply(ProgrammerFlowSide::change);
    }

    private static FlowChange change(ApplyResult r) {
        return new FlowChange(r.added(), r.modified(), r.deleted(), r.duration().toNanos() / 1000);
    }

    @Override
    public Map<Long, String> ports() {
        Map<Long, String> names = new TreeMap<>();
        handle.ports().forEach((ofport, info) -> names.put(ofport, info.name()));
        return names;
    }

    @Override
    public List<FlowRule> installedFlows() {
        return handle.programmer().installedFlows();
    }
}
