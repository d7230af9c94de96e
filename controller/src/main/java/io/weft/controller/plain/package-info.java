/**
 * Plain OpenFlow switches, as pure data: what Weft knows of them ({@link io.weft.controller.plain.Topology}: switches,
 * up ports, links found with LLDP, learned hosts), the ways through it ({@link io.weft.controller.plain.Paths}:
 * shortest-path next hops, loop-free alternates, one spanning tree per connected part), the flows and fast-failover
 * groups each switch should hold ({@link io.weft.controller.plain.PlainFlows},
 * {@link io.weft.controller.plain.FailoverGroups}), the order in which a change reaches the switches
 * ({@link io.weft.controller.plain.UpdateOrder}), what the controller floods past probing ports
 * ({@link io.weft.controller.plain.ProbationFlood}) and the frames read and written
 * ({@link io.weft.controller.plain.Frames}). Nothing here touches a switch: {@code reconcile.PlainFabric} feeds events
 * in and diffs the flows and groups out.
 */
package io.weft.controller.plain;
