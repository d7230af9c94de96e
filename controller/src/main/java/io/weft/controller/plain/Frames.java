package io.weft.controller.plain;

import io.weft.model.DatapathId;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The few Ethernet frames plain switching reads or writes: Weft's LLDP probes (IEEE 802.1AB: chassis id
 * {@code dpid:<16 hex digits>}, port id the OpenFlow port number, TTL) and the sender of any other frame (source MAC,
 * and the sender's IPv4 address from ARP or IPv4). Anything too short or not of that shape reads as empty.
 */
public final class Frames {

    /** The nearest-bridge group address: 802.1D bridges never forward it. */
    static final long LLDP_MULTICAST = 0x0180_c200_000eL;
    private static final String CHASSIS_PREFIX = "dpid:";
    private static final int TLV_END = 0;
    private static final int TLV_CHASSIS = 1;
    private static final int TLV_PORT = 2;
    private static final int TLV_TTL = 3;
    /** Chassis id and port id subtype "locally assigned". */
    private static final int SUBTYPE_LOCAL = 7;
    private static final int ETH_TYPE_ARP = 0x0806;
    private static final int ETH_TYPE_IPV4 = 0x0800;
    private static final int ETH_TYPE_VLAN = 0x8100;

    /** Who sent a frame. */
    public record Sender(MacAddress mac, Optional<Ipv4Address> ip) {
    }

    private Frames() {
    }

    /** The probe sent out of {@code from}, with {@code source} (the port's own address) as its Ethernet source. */
    public static byte[] lldp(PortRef from, MacAddress source) {
        byte[] chassis = (CHASSIS_PREFIX + DatapathId.hex(from.dpid()))
                .getBytes(StandardCharsets.US_ASCII);
        byte[] port = Long.toString(from.port()).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(14 + 2 + 1 + chassis.length + 2 + 1 + port.length + 4 + 2);
        putMac(b, LLDP_MULTICAST);
        putMac(b, source.bits());
        b.putShort((short) PlainFlows.ETH_TYPE_LLDP);
        tlv(b, TLV_CHASSIS, 1 + chassis.length).put((byte) SUBTYPE_LOCAL).put(chassis);
        tlv(b, TLV_PORT, 1 + port.length).put((byte) SUBTYPE_LOCAL).put(port);
        tlv(b, TLV_TTL, 2).putShort((short) 120);
        tlv(b, TLV_END, 0);
        return b.array();
    }

    /** The port a probe of Weft's was sent from; empty for any other frame. */
    public static Optional<PortRef> probeOrigin(byte[] frame) {
        if (frame.length < 14 || (ByteBuffer.wrap(frame, 12, 2).getShort() & 0xffff) != PlainFlows.ETH_TYPE_LLDP) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(frame, 14, frame.length - 14);
        String chassis = null;
        String port = null;
        while (b.remaining() >= 2) {
            int header = b.getShort() & 0xffff;
            int type = header >>> 9;
            int length = header & 0x1ff;
            if (type == TLV_END || length > b.remaining()) {
                break;
            }
            byte[] value = new byte[length];
            b.get(value);
            if ((type == TLV_CHASSIS || type == TLV_PORT) && length > 1 && value[0] == SUBTYPE_LOCAL) {
                String text = new String(value, 1, length - 1, StandardCharsets.US_ASCII);
                if (type == TLV_CHASSIS) {
                    chassis = text;
                } else {
                    port = text;
                }
            }
        }
        if (chassis == null || port == null || !chassis.startsWith(CHASSIS_PREFIX)
                || chassis.length() != CHASSIS_PREFIX.length() + 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PortRef(Long.parseUnsignedLong(chassis.substring(CHASSIS_PREFIX.length()), 16),
                    Long.parseLong(port)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The sender of a frame that is not LLDP; empty if too short to have one. */
    public static Optional<Sender> sender(byte[] frame) {
        if (frame.length < 14) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.position(6);
        MacAddress mac = new MacAddress(getMac(b));
        int type = b.getShort() & 0xffff;
        if (type == ETH_TYPE_VLAN && b.remaining() >= 4) {
            b.getShort();
            type = b.getShort() & 0xffff;
        }
        if (type == PlainFlows.ETH_TYPE_LLDP) {
            return Optional.empty();
        }
        Optional<Ipv4Address> ip = Optional.empty();
        int at = b.position();
        if (type == ETH_TYPE_ARP && b.remaining() >= 28) {
            ip = Optional.of(Ipv4Address.of(b.getInt(at + 14)));    // sender protocol address
        } else if (type == ETH_TYPE_IPV4 && b.remaining() >= 20) {
            ip = Optional.of(Ipv4Address.of(b.getInt(at + 12)));    // source address
        }
        return Optional.of(new Sender(mac, ip.filter(a -> a.bits() != 0)));
    }

    private static ByteBuffer tlv(ByteBuffer b, int type, int length) {
        return b.putShort((short) ((type << 9) | length));
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    private static long getMac(ByteBuffer b) {
        return ((b.getShort() & 0xffffL) << 32) | (b.getInt() & 0xffff_ffffL);
    }
}
