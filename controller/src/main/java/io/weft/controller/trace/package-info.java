/**
 * Packet traces in the user's terms. {@link io.weft.controller.trace.PacketTracer} builds the packet a container would
 * send ({@code Probe}), reads the switches on its path through {@link io.weft.controller.view.ControllerView#readFlows}
 * as the flows module's {@link io.weft.flows.FabricWalker} reaches them (no second simulator), then
 * {@code TraceExplainer} names each step (table, network by VNI, owner by cookie with {@code FlowOwners}, VNI on the
 * wire) and the verdict, and {@code FlowDifferences} compares each host's desired flows with what its switch holds.
 * Everything but the reads is pure.
 */
package io.weft.controller.trace;
