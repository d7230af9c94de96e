package io.weft.controller.cluster;

import io.weft.controller.store.StoreHealth;
import java.util.List;
import java.util.Optional;

/**
 * The control plane as one replica sees it, for {@code GET /api/v1/cluster}.
 *
 * @param self     this replica's id
 * @param role     {@code leader} (it programs the switches), {@code follower}, or {@code sole} (no cluster: the
 *                 only replica, always programming)
 * @param leader   the leader and its generation, when one is known
 * @param replicas every live replica, this one included, by id
 * @param store    {@code embedded} or {@code etcd}
 * @param health   whether the store takes writes now, and why not (the store says)
 */
public record ClusterView(String self, String role, Optional<Leader> leader, List<ReplicaInfo> replicas,
                          String store, StoreHealth health) {

    public record Leader(String id, long generation) {
    }

    public ClusterView {
        replicas = List.copyOf(replicas);
    }
}
