package io.weft.southbound;

/** A packet the switch sent to the controller; {@code data} is the whole frame (Weft asks for no buffering). */
public record PacketIn(int tableId, long cookie, long inPort, String reason, byte[] data) {
}
