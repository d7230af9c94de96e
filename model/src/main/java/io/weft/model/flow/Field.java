package io.weft.model.flow;

/** The OpenFlow 1.3 OXM fields Weft matches on or sets, with their widths in bits. */
public enum Field {
    IN_PORT(32, "in_port"),
    METADATA(64, "metadata"),
    TUNNEL_ID(64, "tun_id"),
    ETH_DST(48, "dl_dst"),
    ETH_SRC(48, "dl_src"),
    ETH_TYPE(16, "dl_type"),
    ARP_OP(16, "arp_op"),
    ARP_SPA(32, "arp_spa"),
    ARP_TPA(32, "arp_tpa"),
    ARP_SHA(48, "arp_sha"),
    ARP_THA(48, "arp_tha"),
    IPV4_SRC(32, "nw_src"),
    IPV4_DST(32, "nw_dst"),
    IP_PROTO(8, "nw_proto"),
    ICMPV4_TYPE(8, "icmp_type"),
    ICMPV4_CODE(8, "icmp_code"),
    /** ovs-ofctl prints both transport destination ports as {@code tp_dst} after a {@code udp}/{@code tcp} prefix. */
    UDP_DST(16, "tp_dst"),
    TCP_DST(16, "tp_dst");

    private final int bits;
    private final String ofctlName;

    Field(int bits, String ofctlName) {
        this.bits = bits;
        this.ofctlName = ofctlName;
    }

    public int bits() {
        return bits;
    }

    /** All ones over the field's width. */
    public long fullMask() {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    /** The name {@code ovs-ofctl} uses for the field. */
    public String ofctlName() {
        return ofctlName;
    }

    public boolean isMac() {
        return bits == 48;
    }

    public boolean isIpv4Address() {
        return this == ARP_SPA || this == ARP_TPA || this == IPV4_SRC || this == IPV4_DST;
    }
}
