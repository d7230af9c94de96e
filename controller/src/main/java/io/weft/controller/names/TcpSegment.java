package io.weft.controller.names;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * One TCP segment of a DNS-over-TCP connection the controller terminates ({@link DnsTcpResponder}): its addresses,
 * ports, sequence numbers, flags, window, the MSS option (0 when absent) and payload. Reads from and writes to
 * {@link Ipv4Frame}s; segments whose header lies about its length read as empty.
 */
public record TcpSegment(Ipv4Address srcIp, Ipv4Address dstIp, int srcPort, int dstPort, int seq, int ack, int flags,
                         int window, int mss, byte[] payload) {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    private static final int HEADER = 20;
    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_MSS = 2;

    public static Optional<TcpSegment> parse(Ipv4Frame ip) {
        byte[] tcp = ip.transport();
        if (ip.protocol() != Ipv4Frame.PROTO_TCP || tcp.length < HEADER) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(tcp);
        int dataOffset = ((b.get(12) & 0xff) >>> 4) * 4;
        if (dataOffset < HEADER || dataOffset > tcp.length) {
            return Optional.empty();
        }
        return Optional.of(new TcpSegment(ip.srcIp(), ip.dstIp(), b.getShort(0) & 0xffff, b.getShort(2) & 0xffff,
                b.getInt(4), b.getInt(8), b.get(13) & 0x3f, b.getShort(14) & 0xffff, mss(tcp, dataOffset),
                Arrays.copyOfRange(tcp, dataOffset, tcp.length)));
    }

    /** The MSS option's value, 0 when there is none (or the options are malformed). */
    private static int mss(byte[] tcp, int end) {
        int at = HEADER;
        while (at < end) {
            int kind = tcp[at] & 0xff;
            if (kind == OPTION_END) {
                return 0;
            }
            if (kind == OPTION_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end || (tcp[at + 1] & 0xff) < 2 || at + (tcp[at + 1] & 0xff) > end) {
                return 0;
            }
            if (kind == OPTION_MSS && (tcp[at + 1] & 0xff) == 4) {
                return ((tcp[at + 2] & 0xff) << 8) | (tcp[at + 3] & 0xff);
            }
            at += tcp[at + 1] & 0xff;
        }
        return 0;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** How much sequence space the segment takes: its payload, and one for each of SYN and FIN. */
    public int length() {
        return payload.length + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
    }

    /** The frame carrying this segment, with valid IPv4 and TCP checksums; an MSS option when {@code mss > 0}. */
    public byte[] toFrame(MacAddress srcMac, MacAddress dstMac) {
        int header = HEADER + (mss > 0 ? 4 : 0);
        ByteBuffer b = ByteBuffer.allocate(header + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(seq).putInt(ack)
                .put((byte) ((header / 4) << 4)).put((byte) flags).putShort((short) window)
                .putShort((short) 0).putShort((short) 0);
        if (mss > 0) {
            b.put((byte) OPTION_MSS).put((byte) 4).putShort((short) mss);
        }
        b.put(payload);
        return new Ipv4Frame(srcMac, dstMac, srcIp, dstIp, Ipv4Frame.PROTO_TCP, b.array()).toWire(16, 0);
    }

    @Override
    public String toString() {
        StringBuilder f = new StringBuilder();
        String[] names = {"F", "S", "R", "P", "."};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                f.append(names[i]);
            }
        }
        return srcIp + ":" + srcPort + " > " + dstIp + ":" + dstPort + " [" + f + "] seq " + Integer.toUnsignedString(seq)
                + " ack " + Integer.toUnsignedString(ack) + " win " + window + (mss > 0 ? " mss " + mss : "")
                + " len " + payload.length;
    }
}
