package io.weft.controller.cluster;

/** What a northbound reads about the replicas. */
@FunctionalInterface
public interface ClusterStatus {
    ClusterView view();
}
