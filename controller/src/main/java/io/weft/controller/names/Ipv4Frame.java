package io.weft.controller.names;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * An Ethernet frame holding one unfragmented IPv4 packet, as a switch hands a punted DNS query over: the addresses
 * needed to answer it, its protocol and its transport bytes (header and payload, cut to the IP length). Frames of any
 * other shape (VLAN tags, fragments, truncated or lying lengths) read as empty; nothing here trusts a length the frame
 * gives without checking it against the bytes there are. {@link UdpFrame} and {@link TcpSegment} read and write their
 * own headers on top of this.
 */
public record Ipv4Frame(MacAddress srcMac, MacAddress dstMac, Ipv4Address srcIp, Ipv4Address dstIp, int protocol,
                        byte[] transport) {

    static final int ETH_HEADER = 14;
    static final int IPV4_HEADER = 20;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    private static final int ETH_TYPE_IPV4 = 0x0800;
    private static final int TTL = 64;

    public static Optional<Ipv4Frame> parse(byte[] frame) {
        if (frame == null || frame.length < ETH_HEADER + IPV4_HEADER) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        if ((b.getShort(12) & 0xffff) != ETH_TYPE_IPV4) {
            return Optional.empty();
        }
        int versionIhl = b.get(ETH_HEADER) & 0xff;
        int ihl = (versionIhl & 0xf) * 4;
        int totalLength = b.getShort(ETH_HEADER + 2) & 0xffff;
        int fragment = b.getShort(ETH_HEADER + 6) & 0x3fff; // MF flag and offset
        if (versionIhl >>> 4 != 4 || ihl < IPV4_HEADER || fragment != 0 || totalLength < ihl
                || ETH_HEADER + totalLength > frame.length) {
            return Optional.empty();
        }
        return Optional.of(new Ipv4Frame(new MacAddress(mac(b, 6)), new MacAddress(mac(b, 0)),
                Ipv4Address.of(b.getInt(ETH_HEADER + 12)), Ipv4Address.of(b.getInt(ETH_HEADER + 16)),
                b.get(ETH_HEADER + 9) & 0xff, Arrays.copyOfRange(frame, ETH_HEADER + ihl, ETH_HEADER + totalLength)));
    }

    /**
     * The frame of this packet: IPv4 header (no options, don't fragment) with its checksum, then {@code transport},
     * whose checksum field at {@code checksumAt} is filled with the transport checksum over the pseudo-header.
     * {@code zeroAs} is what a computed checksum of 0 is sent as (UDP: 0xffff, as 0 means "none").
     */
    public byte[] toWire(int checksumAt, int zeroAs) {
        int ipLength = IPV4_HEADER + transport.length;
        ByteBuffer b = ByteBuffer.allocate(ETH_HEADER + ipLength);
        putMac(b, dstMac.bits());
        putMac(b, srcMac.bits());
        b.putShort((short) ETH_TYPE_IPV4);
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) TTL).put((byte) protocol).putShort((short) 0).putInt(srcIp.bits()).putInt(dstIp.bits());
        b.putShort(ETH_HEADER + 10, (short) checksum(b.array(), ETH_HEADER, IPV4_HEADER, 0));
        int l4 = ETH_HEADER + IPV4_HEADER;
        b.put(transport);
        b.putShort(l4 + checksumAt, (short) 0);
        int sum = checksum(b.array(), l4, transport.length, pseudoHeader(transport.length));
        b.putShort(l4 + checksumAt, (short) (sum == 0 ? zeroAs : sum));
        return b.array();
    }

    /** The sum of the IPv4 pseudo-header that TCP's and UDP's checksums cover (RFC 793, 768). */
    long pseudoHeader(int transportLength) {
        return ((srcIp.bits() >>> 16) & 0xffff) + (srcIp.bits() & 0xffff) + ((dstIp.bits() >>> 16) & 0xffff)
                + (dstIp.bits() & 0xffff) + protocol + transportLength;
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
