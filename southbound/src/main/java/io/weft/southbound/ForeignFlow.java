package io.weft.southbound;

import org.projectfloodlight.openflow.protocol.match.Match;

/** A flow on the switch that the model cannot express; it is deleted by strict match on its own openflowj match. */
public record ForeignFlow(int tableId, int priority, Match match, long cookie) {

    @Override
    public String toString() {
        return "foreign flow cookie=0x" + Long.toHexString(cookie) + ", table=" + tableId + ", priority=" + priority
                + ", match=" + match;
    }
}
