package io.weft.controller.view;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An OpenFlow switch connected to Weft that belongs to no registered host (its datapath id matches no host's br-int).
 * Unless it is named br-int (then it waits for its host), Weft forwards on it as a plain switch: links found with
 * LLDP, hosts learned, shortest paths and a spanning tree for broadcast (see {@code GET /api/v1/topology}).
 *
 * @param ports    port names by OpenFlow port number, as the switch reported them
 * @param inSync   forwarded on as a plain switch, and holding every flow its part of the topology asks for
 * @param openflow the OpenFlow version it speaks with Weft: "1.0" (one flow table), "1.3" or "1.4"
 */
public record PlainSwitch(long datapathId, SortedMap<Long, String> ports, boolean inSync, String openflow) {

    public PlainSwitch(long datapathId, Map<Long, String> ports, boolean inSync, String openflow) {
        this(datapathId, new TreeMap<>(ports), inSync, openflow);
    }

    public static final String EXPLANATION = "connected over OpenFlow but not the br-int of a registered host: Weft "
            + "forwards on it as a plain switch (GET /api/v1/topology); a bridge named br-int waits for its host to "
            + "be registered with POST /api/v1/hosts";

    public PlainSwitch {
        ports = Collections.unmodifiableSortedMap(new TreeMap<>(ports));
    }
}
