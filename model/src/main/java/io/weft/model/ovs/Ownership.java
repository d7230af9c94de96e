package io.weft.model.ovs;

/** The {@code external_ids} keys that mark rows Weft owns and say why it created them. */
public final class Ownership {

    /** Present with value {@link #OWNER_VALUE} on every Bridge, Port and Interface row Weft created. */
    public static final String OWNER_KEY = "weft-owner";
    public static final String OWNER_VALUE = "weft";
    /** On tunnel ports: the peer host name and the encapsulation. */
    public static final String PEER_KEY = "weft-peer";
    public static final String ENCAP_KEY = "weft-encap";
    /** On endpoint ports: the endpoint ({@code network/name}) and its network. */
    public static final String ENDPOINT_KEY = "weft-endpoint";
    public static final String NETWORK_KEY = "weft-network";
    /** The key ovs-docker, CNI plugins and OVN use to bind an interface to a logical port; Weft binds by it too. */
    public static final String IFACE_ID_KEY = "iface-id";

    private Ownership() {
    }
}
