package io.weft.controller.names;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * An Ethernet frame holding an IPv4 UDP datagram, as a switch hands a punted DNS query over: the addresses needed to
 * answer it and its payload. Anything else ({@link Ipv4Frame}'s rules, a lying UDP length) reads as empty.
 */
public record UdpFrame(MacAddress srcMac, MacAddress dstMac, Ipv4Address srcIp, Ipv4Address dstIp, int srcPort,
                       int dstPort, byte[] payload) {

    private static final int UDP_HEADER = 8;

    public static Optional<UdpFrame> parse(byte[] frame) {
        return Ipv4Frame.parse(frame).flatMap(UdpFrame::of);
    }

    static Optional<UdpFrame> of(Ipv4Frame ip) {
        byte[] udp = ip.transport();
        if (ip.protocol() != Ipv4Frame.PROTO_UDP || udp.length < UDP_HEADER) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(udp);
        int udpLength = b.getShort(4) & 0xffff;
        if (udpLength < UDP_HEADER || udpLength > udp.length) {
            return Optional.empty();
        }
        return Optional.of(new UdpFrame(ip.srcMac(), ip.dstMac(), ip.srcIp(), ip.dstIp(), b.getShort(0) & 0xffff,
                b.getShort(2) & 0xffff, Arrays.copyOfRange(udp, UDP_HEADER, udpLength)));
    }

    /** The answer to this datagram: back to its sender, from the address and port it was sent to. */
    public byte[] reply(byte[] data) {
        ByteBuffer udp = ByteBuffer.allocate(UDP_HEADER + data.length);
        udp.putShort((short) dstPort).putShort((short) srcPort).putShort((short) (UDP_HEADER + data.length))
                .putShort((short) 0).put(data);
        return new Ipv4Frame(dstMac, srcMac, dstIp, srcIp, Ipv4Frame.PROTO_UDP, udp.array())
                .toWire(6, 0xffff); // 0 means "no checksum" in UDP over IPv4
    }
}
