package io.weft.southbound;

import org.projectfloodlight.openflow.protocol.OFFlowRemoved;

/**
 * What the channel tells the controller. Calls for one switch come in order from that switch's event loop; an
 * implementation must not block (hand long work to its own executor).
 */
public interface SwitchListener {

    /** Handshake done and the switch's flows and groups read: {@code handle.programmer()} is ready for apply. */
    default void switchConnected(SwitchHandle handle) {
    }

    default void switchDisconnected(long dpid) {
    }

    default void portStatus(long dpid, PortEvent event) {
    }

    default void packetIn(long dpid, PacketIn packet) {
    }

    default void flowRemoved(long dpid, OFFlowRemoved removed) {
    }

    /** An OFPT_ERROR no pending request claimed, already rendered readable. */
    default void error(long dpid, String description) {
    }
}
