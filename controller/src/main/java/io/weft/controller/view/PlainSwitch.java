package io.weft.controller.view;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An OpenFlow switch connected to Weft that belongs to no registered host (its datapath id matches no host's br-int):
 * Weft keeps the connection, installs nothing, and lists it so an operator can see it arrived.
 *
 * @param ports port names by OpenFlow port number, as the switch reported them
 */
public record PlainSwitch(long datapathId, SortedMap<Long, String> ports) {

    public PlainSwitch(long datapathId, Map<Long, String> ports) {
        this(datapathId, new TreeMap<>(ports));
    }

    public static final String EXPLANATION = "connected over OpenFlow but not the br-int of a registered host: Weft "
            + "installs no flows on it (register the host with POST /api/v1/hosts to have it managed)";

    public PlainSwitch {
        ports = Collections.unmodifiableSortedMap(new TreeMap<>(ports));
    }
}
