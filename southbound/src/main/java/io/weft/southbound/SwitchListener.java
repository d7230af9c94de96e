package io.weft.southbound;

/**
 * What the channel tells the controller. Calls for one switch come in order from that switch's event loop; an
 * implementation must not block (hand long work to its own executor).
 */
public interface SwitchListener {

    /** Handshake done: the switch's ports are known and {@code handle} is ready. */
    default void switchConnected(SwitchHandle handle) {
    }

    default void switchDisconnected(long dpid) {
    }

    default void portStatus(long dpid, PortEvent event) {
    }

    default void packetIn(long dpid, PacketIn packet) {
    }

    /** An OFPT_ERROR no pending request claimed, already rendered readable. */
    default void error(long dpid, String description) {
    }
}
