/**
 * Plain OpenFlow switches, as pure data: what Weft knows of them ({@link io.weft.controller.plain.Topology}: switches,
 * up ports, links found with LLDP, learned hosts), the ways through it ({@link io.weft.controller.plain.Paths}:
 * shortest-path next hops, one spanning tree per connected part), the flows each switch should hold
 * ({@link io.weft.controller.plain.PlainFlows}) and the frames read and written ({@link io.weft.controller.plain.Frames}).
 * Nothing here touches a switch: {@code reconcile.PlainFabric} feeds events in and diffs the flows out.
 */
package io.weft.controller.plain;
