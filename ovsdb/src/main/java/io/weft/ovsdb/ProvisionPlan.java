package io.weft.ovsdb;

import java.util.List;

/**
 * The minimal transaction that makes a host's OVSDB match a {@link io.weft.model.ovs.DesiredBridge}.
 *
 * @param operations the transaction, empty when nothing differs (then nothing is sent). When not empty it ends
 *                   with {@code next_cfg += 1} and a {@code select} of the new {@code next_cfg}
 * @param notes      what was deliberately left alone (rows Weft does not own), for logs
 */
public record ProvisionPlan(List<Operation> operations, List<String> notes) {

    public ProvisionPlan {
        operations = List.copyOf(operations);
        notes = List.copyOf(notes);
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    /** Reads the {@code next_cfg} this transaction produced from its results (the final select). */
    public long nextCfg(List<com.fasterxml.jackson.databind.JsonNode> results) {
        if (isEmpty() || results.size() < operations.size()) {
            throw new IllegalStateException("no next_cfg in a transaction of " + results.size() + " results");
        }
        return results.get(operations.size() - 1).path("rows").path(0).path("next_cfg").asLong();
    }
}
