package io.weft.controller.names;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * An Ethernet frame holding an IPv4 UDP datagram, as a switch hands a punted DNS query over: the addresses needed to
 * answer it and its payload. Frames of any other shape (VLAN tags, fragments, truncated or lying lengths) read as
 * empty; nothing here trusts a length the frame gives without checking it against the bytes there are.
 */
public record UdpFrame(MacAddress srcMac, MacAddress dstMac, Ipv4Address srcIp, Ipv4Address dstIp, int srcPort,
                       int dstPort, byte[] payload) {

    private static final int ETH_HEADER = 14;
    private static final int ETH_TYPE_IPV4 = 0x0800;
    private static final int IP_PROTO_UDP = 17;
    private static final int UDP_HEADER = 8;
    private static final int TTL = 64;

    public static Optional<UdpFrame> parse(byte[] frame) {
        if (frame == null || frame.length < ETH_HEADER + 20 + UDP_HEADER) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        long dst = mac(b, 0);
        long src = mac(b, 6);
        if ((b.getShort(12) & 0xffff) != ETH_TYPE_IPV4) {
            return Optional.empty();
        }
        int versionIhl = b.get(ETH_HEADER) & 0xff;
        int ihl = (versionIhl & 0xf) * 4;
        int totalLength = b.getShort(ETH_HEADER + 2) & 0xffff;
        int fragment = b.getShort(ETH_HEADER + 6) & 0x3fff; // MF flag and offset
        if (versionIhl >>> 4 != 4 || ihl < 20 || fragment != 0 || (b.get(ETH_HEADER + 9) & 0xff) != IP_PROTO_UDP
                || totalLength < ihl + UDP_HEADER || ETH_HEADER + totalLength > frame.length) {
            return Optional.empty();
        }
        int udp = ETH_HEADER + ihl;
        int udpLength = b.getShort(udp + 4) & 0xffff;
        if (udpLength < UDP_HEADER || udpLength > totalLength - ihl) {
            return Optional.empty();
        }
        return Optional.of(new UdpFrame(new MacAddress(src), new MacAddress(dst),
                Ipv4Address.of(b.getInt(ETH_HEADER + 12)), Ipv4Address.of(b.getInt(ETH_HEADER + 16)),
                b.getShort(udp) & 0xffff, b.getShort(udp + 2) & 0xffff,
                Arrays.copyOfRange(frame, udp + UDP_HEADER, udp + udpLength)));
    }

    /** The answer to this datagram: back to its sender, from the address and port it was sent to. */
    public byte[] reply(byte[] data) {
        int ipLength = 20 + UDP_HEADER + data.length;
        ByteBuffer b = ByteBuffer.allocate(ETH_HEADER + ipLength);
        putMac(b, srcMac.bits());
        putMac(b, dstMac.bits());
        b.putShort((short) ETH_TYPE_IPV4);
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) TTL).put((byte) IP_PROTO_UDP).putShort((short) 0).putInt(dstIp.bits()).putInt(srcIp.bits());
        b.putShort(ETH_HEADER + 10, (short) checksum(b.array(), ETH_HEADER, 20, 0));
        int udp = ETH_HEADER + 20;
        b.putShort((short) dstPort).putShort((short) srcPort).putShort((short) (UDP_HEADER + data.length))
                .putShort((short) 0).put(data);
        long pseudo = ((dstIp.bits() >>> 16) & 0xffff) + (dstIp.bits() & 0xffff) + ((srcIp.bits() >>> 16) & 0xffff)
                + (srcIp.bits() & 0xffff) + IP_PROTO_UDP + UDP_HEADER + data.length;
        int sum = checksum(b.array(), udp, UDP_HEADER + data.length, pseudo);
        b.putShort(udp + 6, (short) (sum == 0 ? 0xffff : sum)); // 0 means "no checksum" in UDP over IPv4
        return b.array();
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes from {@code offset}, plus {@code initial}. */
    static int checksum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (data[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static long mac(ByteBuffer b, int at) {
        return ((long) (b.getShort(at) & 0xffff) << 32) | (b.getInt(at + 2) & 0xffff_ffffL);
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }
}
