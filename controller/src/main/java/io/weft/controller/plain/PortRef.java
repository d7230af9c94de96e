package io.weft.controller.plain;

import io.weft.model.DatapathId;
import java.util.Comparator;

/** One port of one switch: datapath id and OpenFlow port number. */
public record PortRef(long dpid, long port) implements Comparable<PortRef> {

    private static final Comparator<PortRef> ORDER = Comparator.comparingLong(PortRef::dpid)
            .thenComparingLong(PortRef::port);

    @Override
    public int compareTo(PortRef o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return DatapathId.hex(dpid) + ":" + port;
    }
}
