package io.weft.controller.cluster;

import java.time.Duration;
import java.util.Optional;

/**
 * How this process takes part among several replicas (only with an etcd store).
 *
 * @param id           this replica's id; default: its REST address, unique in a deployment
 * @param leaderLease  the TTL of the leader's etcd lease: how long a dead or paused leader can hold the switches
 *                     before another replica is elected, and how long a leader that cannot reach etcd keeps
 *                     writing (less: it stops when its last renewal plus 90% of it has passed)
 */
public record ReplicaSettings(Optional<String> id, Duration leaderLease) {

    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(3);
    public static final ReplicaSettings DEFAULTS = new ReplicaSettings(Optional.empty(), DEFAULT_LEASE);

    public ReplicaSettings {
        id = id == null ? Optional.empty() : id;
        if (leaderLease.toMillis() % 1000 != 0 || leaderLease.toSeconds() < 1 || leaderLease.toSeconds() > 60) {
            throw new IllegalArgumentException("the leader lease is whole seconds in 1..60, not " + leaderLease);
        }
    }
}
