package io.weft.flows;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A packet for the walker: its header fields (only those its kind has; {@link Field#TUNNEL_ID} once it came from or
 * goes to a tunnel), its IPv4 TTL and what it carries. {@link Field#IN_PORT} and {@link Field#METADATA} are pipeline
 * state, not packet fields.
 */
public record Packet(Map<Field, Long> fields, int ttl, Payload payload) {

    public enum Payload { ARP, IPV4_ICMP, IPV4_OTHER, OTHER }

    public Packet {
        if (fields.containsKey(Field.IN_PORT) || fields.containsKey(Field.METADATA)) {
            throw new IllegalArgumentException("in_port and metadata are pipeline state, not packet fields");
        }
        EnumMap<Field, Long> copy = new EnumMap<>(Field.class);
        copy.putAll(fields);
        fields = Collections.unmodifiableMap(copy);
    }

    /** A broadcast ARP request from ({@code mac}, {@code ip}) for {@code target}. */
    public static Packet arpRequest(MacAddress mac, Ipv4Address ip, Ipv4Address target) {
        Map<Field, Long> f = ethernet(mac, MacAddress.BROADCAST, EthType.ARP);
        f.put(Field.ARP_OP, EthType.ARP_REQUEST);
        f.put(Field.ARP_SHA, mac.bits());
        f.put(Field.ARP_SPA, ip.asLong());
        f.put(Field.ARP_THA, 0L);
        f.put(Field.ARP_TPA, target.asLong());
        return new Packet(f, 0, Payload.ARP);
    }

    /** An ICMP echo request with TTL 64. */
    public static Packet icmpEcho(MacAddress src, MacAddress dst, Ipv4Address srcIp, Ipv4Address dstIp) {
        Map<Field, Long> f = ipv4Fields(src, dst, srcIp, dstIp, EthType.IP_PROTO_ICMP);
        f.put(Field.ICMPV4_TYPE, 8L);
        f.put(Field.ICMPV4_CODE, 0L);
        return new Packet(f, 64, Payload.IPV4_ICMP);
    }

    /** A UDP datagram (protocol 17) with TTL 64, without ports (add {@link Field#UDP_DST} for one). */
    public static Packet udp(MacAddress src, MacAddress dst, Ipv4Address srcIp, Ipv4Address dstIp) {
        return new Packet(ipv4Fields(src, dst, srcIp, dstIp, 17), 64, Payload.IPV4_OTHER);
    }

    /** A TCP segment (protocol 6) with TTL 64, without ports (add {@link Field#TCP_DST} for one). */
    public static Packet tcp(MacAddress src, MacAddress dst, Ipv4Address srcIp, Ipv4Address dstIp) {
        return new Packet(ipv4Fields(src, dst, srcIp, dstIp, 6), 64, Payload.IPV4_OTHER);
    }

    /** A frame of another EtherType (e.g. IPv6 0x86dd). */
    public static Packet other(MacAddress src, MacAddress dst, long ethType) {
        return new Packet(ethernet(src, dst, ethType), 0, Payload.OTHER);
    }

    private static Map<Field, Long> ipv4Fields(MacAddress src, MacAddress dst, Ipv4Address srcIp, Ipv4Address dstIp,
                                               long proto) {
        Map<Field, Long> f = ethernet(src, dst, EthType.IPV4);
        f.put(Field.IPV4_SRC, srcIp.asLong());
        f.put(Field.IPV4_DST, dstIp.asLong());
        f.put(Field.IP_PROTO, proto);
        return f;
    }

    private static Map<Field, Long> ethernet(MacAddress src, MacAddress dst, long ethType) {
        Map<Field, Long> f = new EnumMap<>(Field.class);
        f.put(Field.ETH_SRC, src.bits());
        f.put(Field.ETH_DST, dst.bits());
        f.put(Field.ETH_TYPE, ethType);
        return f;
    }

    public OptionalLong get(Field field) {
        Long v = fields.get(field);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** The field's value; fails for a field the packet does not have. */
    public long value(Field field) {
        Long v = fields.get(field);
        if (v == null) {
            throw new IllegalArgumentException("packet has no " + field);
        }
        return v;
    }

    public Packet with(Field field, long value) {
        Map<Field, Long> f = new EnumMap<>(Field.class);
        f.putAll(fields);
        f.put(field, value);
        return new Packet(f, ttl, payload);
    }

    public Packet withTtl(int newTtl) {
        return new Packet(fields, newTtl, payload);
    }

    public MacAddress ethSrc() {
        return new MacAddress(value(Field.ETH_SRC));
    }

    public MacAddress ethDst() {
        return new MacAddress(value(Field.ETH_DST));
    }
}
