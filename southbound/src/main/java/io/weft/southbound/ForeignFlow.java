package io.weft.southbound;

import java.util.Objects;
import org.projectfloodlight.openflow.protocol.match.Match;

/**
 * A flow on a switch that the model cannot express (a field, action or timeout Weft never uses): something Weft did
 * not put there. It can only be deleted, by strict match on its own match, which stays inside this module.
 */
public final class ForeignFlow {

    private final int tableId;
    private final int priority;
    private final long cookie;
    private final Match match;

    ForeignFlow(int tableId, int priority, long cookie, Match match) {
        this.tableId = tableId;
        this.priority = priority;
        this.cookie = cookie;
        this.match = match;
    }

    public int tableId() {
        return tableId;
    }

    public int priority() {
        return priority;
    }

    public long cookie() {
        return cookie;
    }

    Match match() {
        return match;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForeignFlow f && f.tableId == tableId && f.priority == priority && f.cookie == cookie
                && f.match.equals(match);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tableId, priority, cookie, match);
    }

    @Override
    public String toString() {
        return "foreign flow cookie=0x" + Long.toHexString(cookie) + ", table=" + tableId + ", priority=" + priority
                + ", match=" + match;
    }
}
