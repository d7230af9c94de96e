/**
 * Routing decisions as pure functions of a {@link io.weft.model.NetworkSnapshot}: which tunnel ports each host
 * needs ({@link io.weft.routing.TunnelPlan}), where each endpoint lives and how a host reaches it
 * ({@link io.weft.routing.Placement}, {@link io.weft.routing.NextHop}, and {@link io.weft.routing.NextHops} to
 * resolve many endpoints from one host), and the distributed gateway that routes
 * between the subnets of one network ({@link io.weft.routing.DistributedGateway}).
 *
 * <p>{@link io.weft.routing.SnapshotCheck} lists the inconsistencies the compilers refuse (two endpoints of one
 * network with the same IP or MAC, an IP outside the network's subnets, a port used twice on a host), so that the
 * intent layer can reject them before they are stored.
 */
package io.weft.routing;
