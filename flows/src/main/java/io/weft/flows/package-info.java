/**
 * The OpenFlow pipeline compiler: a {@link io.weft.model.NetworkSnapshot} in, each host's
 * {@link io.weft.model.flow.FlowRule}s out ({@link io.weft.flows.FlowCompiler}), and a packet-walk simulator over
 * compiled flows ({@link io.weft.flows.PacketWalker}, {@link io.weft.flows.FabricWalker}).
 *
 * <p>The pipeline ({@link io.weft.flows.Pipeline}, operator's view in {@code flows/PIPELINE.md}) uses standard
 * OpenFlow 1.3 only: metadata carries the network's VNI, no registers, no move actions, no conntrack.
 *
 * <p><b>Broadcast, multicast and unknown unicast are dropped.</b> ARP requests are answered on the ingress host
 * for every IP the network knows (endpoints and gateways), so no ARP leaves a host and no packet reaches the
 * controller; echo requests to gateway IPs are answered in the datapath too. Every other frame must be unicast to
 * a MAC of the sender's network (an endpoint, or a gateway for routing between its subnets), otherwise
 * {@code l2_forward} drops it. DHCP, IPv6 neighbour discovery, mDNS and other broadcast or multicast protocols do
 * not work on Weft networks: addresses are assigned by the controller.
 *
 * <p>Packets from a tunnel are only delivered to local ports (split horizon), and only for networks with an
 * endpoint on the host, arriving on a tunnel of the network's encapsulation.
 */
package io.weft.flows;
