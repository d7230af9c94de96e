package io.weft.docker;

/**
 * The veth pairs that carry containers' traffic, made in the network namespace where dockerd runs. Docker moves the
 * container side into the container; Weft adds the host side to br-int. {@link IpLinks} makes them with iproute2.
 */
public interface Links {

    /**
     * Both ends get the network's MTU, which Docker keeps when it moves the container side in.
     *
     * @param txChecksumOff turn the container side's TX checksum offload off: OVS's userspace datapath forwards the
     *                      partial checksums a veth hands it as they are, through tunnels too, and the receiving
     *                      container drops such TCP and UDP (pings still pass); the kernel datapath needs nothing
     */
    void createVeth(String hostSide, String containerSide, int mtu, boolean txChecksumOff);

    /** Deleting one end deletes both; an interface already gone is fine. */
    void deleteIfPresent(String name);
}
