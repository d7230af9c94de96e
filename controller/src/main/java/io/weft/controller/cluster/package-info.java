/**
 * Several controller replicas on one etcd cluster: who they are, and which one programs the switches.
 *
 * <p>Every replica registers itself ({@link io.weft.controller.cluster.ReplicaRegistry}: its REST URL and the
 * OpenFlow target switches reach it at, under {@code PREFIX/replicas/ID} with a lease of its own) and campaigns in
 * one election ({@link io.weft.controller.cluster.EtcdLeadership}, jetcd's Election API on a lease of
 * {@code --leader-lease-seconds}). The winner's generation is its election key's create revision: etcd revisions
 * only grow, so a later leader's is always larger. It is the OpenFlow role requests' generation_id and the OVSDB
 * fence ({@link io.weft.ovsdb.LeaderFence}).
 *
 * <p>A leader holds its mandate only while its lease is known to be alive: until the send time of the last
 * keepalive etcd answered plus the TTL ({@link io.weft.controller.cluster.LeaseDeadline}). The reconciler asks before
 * every step's sends, so a leader whose lease ran out (etcd unreachable, quorum lost, the process paused past the
 * TTL) stops writing at once, before anything else, even before it hears about it; the switches and OVSDB refuse
 * whatever it sent just before (roles and fences).
 */
package io.weft.controller.cluster;
