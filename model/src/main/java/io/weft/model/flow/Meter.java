package io.weft.model.flow;

/**
 * An OpenFlow 1.3 meter with one drop band in packets per second: packets beyond {@code packetsPerSecond}, after a
 * burst of {@code burstPackets}, are dropped by the switch before they reach their flow's actions.
 */
public record Meter(long id, long packetsPerSecond, long burstPackets) {

    public Meter {
        if (id < 1 || id > 0xffff_0000L) {
            throw new IllegalArgumentException("meter id " + id + " is outside 1..0xffff0000");
        }
        if (packetsPerSecond < 1 || packetsPerSecond > 0xffff_ffffL || burstPackets < 0
                || burstPackets > 0xffff_ffffL) {
            throw new IllegalArgumentException("meter " + id + ": rate and burst must fit 32 bits, rate at least 1");
        }
    }
}
