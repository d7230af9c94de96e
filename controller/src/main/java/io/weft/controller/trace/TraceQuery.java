package io.weft.controller.trace;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an operator asks a trace: a packet from endpoint {@code from} of {@code network} to {@code to} (an endpoint of
 * the network or an IPv4 address).
 *
 * @param proto   icmp (an echo request), tcp, udp, or arp (a request for {@code to}'s address)
 * @param dstPort for tcp and udp: UDP or TCP to port 53 is a DNS query, which the switch sends to the controller
 *                (flows/PIPELINE.md, "Names"); without it the packet has no port and no flow matches one
 * @param srcIp   "what if {@code from} sent as this IPv4 address": its own otherwise
 * @param srcMac  "what if {@code from} sent as this MAC": its own otherwise
 */
public record TraceQuery(String network, String from, String to, String proto, OptionalInt dstPort,
                         Optional<String> srcIp, Optional<String> srcMac) {

    public static final String DEFAULT_PROTO = "icmp";

    public TraceQuery {
        proto = proto == null ? DEFAULT_PROTO : proto;
        dstPort = dstPort == null ? OptionalInt.empty() : dstPort;
        srcIp = srcIp == null ? Optional.empty() : srcIp;
        srcMac = srcMac == null ? Optional.empty() : srcMac;
    }

    public static TraceQuery of(String network, String from, String to, String proto) {
        return new TraceQuery(network, from, to, proto, OptionalInt.empty(), Optional.empty(), Optional.empty());
    }
}
