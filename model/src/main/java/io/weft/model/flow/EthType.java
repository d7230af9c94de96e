package io.weft.model.flow;

/** The EtherTypes the pipeline matches. */
public final class EthType {
    public static final long IPV4 = 0x0800;
    public static final long ARP = 0x0806;
    public static final long IP_PROTO_ICMP = 1;
    public static final long IP_PROTO_TCP = 6;
    public static final long IP_PROTO_UDP = 17;
    public static final long ARP_REQUEST = 1;
    public static final long ARP_REPLY = 2;

    private EthType() {
    }
}
