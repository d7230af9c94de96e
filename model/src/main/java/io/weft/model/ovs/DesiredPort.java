package io.weft.model.ovs;

import io.weft.model.Encapsulation;
import io.weft.model.Host;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One Port (with its single Interface) Weft owns on a bridge.
 *
 * @param name        port and interface name, e.g. {@code vxlan-h2} or a container's host-side veth
 * @param type        the Interface type: {@code ""} for a system device, {@code internal}, {@code vxlan}, {@code gre}
 * @param options     Interface {@code options}, e.g. remote_ip, local_ip, key
 * @param externalIds Interface and Port {@code external_ids}; must include the owner mark
 * @param ofportRequest the OpenFlow port number asked of OVS when the port is created ({@code ofport_request}), so
 *                      that flows naming it can be sent before OVS has made the port; never changed afterwards
 *                      (that would renumber a live port). Empty: OVS picks one.
 */
public record DesiredPort(String name, String type, Map<String, String> options, Map<String, String> externalIds,
                          OptionalInt ofportRequest) {

    /** The upper half of OpenFlow port numbers, which OVS never assigns by itself: reserved for controllers. */
    public static final int FIRST_REQUESTED_OFPORT = 32768;
    /** OFPP_MAX - 1: the highest port number OVS accepts in {@code ofport_request}. */
    public static final int LAST_REQUESTED_OFPORT = 65279;
    /**
     * Where the numbers of endpoint ports start: below are the tunnels' numbers ({@link #tunnelOfport}), two per
     * indexed host, and tunnels that cannot have theirs take one from here as endpoint ports do.
     */
    public static final int FIRST_ENDPOINT_OFPORT = FIRST_REQUESTED_OFPORT + 2 * Host.MAX_INDEXED;

    /**
     * The port number every host asks for its tunnel toward the host of {@code index} with {@code encapsulation}:
     * the same on every host, so that the flows toward a remote endpoint are too.
     */
    public static int tunnelOfport(int index, Encapsulation encapsulation) {
        return FIRST_REQUESTED_OFPORT + 2 * index + encapsulation.ordinal();
    }

    public DesiredPort(String name, String type, Map<String, String> options, Map<String, String> externalIds) {
        this(name, type, options, externalIds, OptionalInt.empty());
    }

    public DesiredPort {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("port name is missing");
        }
        type = type == null ? "" : type;
        options = Map.copyOf(options); // no copy when already immutable: a plan builds hundreds of these per pass
        externalIds = Map.copyOf(externalIds);
        ofportRequest = ofportRequest == null ? OptionalInt.empty() : ofportRequest;
        ofportRequest.ifPresent(n -> {
            if (n < 1 || n > LAST_REQUESTED_OFPORT) {
                throw new IllegalArgumentException("port " + name + ": ofport_request " + n + " is outside 1.."
                        + LAST_REQUESTED_OFPORT);
            }
        });
        if (!Ownership.OWNER_VALUE.equals(externalIds.get(Ownership.OWNER_KEY))) {
            throw new IllegalArgumentException("port " + name + " lacks the " + Ownership.OWNER_KEY + " mark");
        }
    }

    public DesiredPort withoutOfportRequest() {
        return ofportRequest.isEmpty() ? this : new DesiredPort(name, type, options, externalIds, OptionalInt.empty());
    }

    public DesiredPort withOfportRequest(int ofport) {
        if (ofportRequest.isPresent() && ofportRequest.getAsInt() == ofport) {
            return this;
        }
        return new DesiredPort(name, type, options, externalIds, OptionalInt.of(ofport));
    }
}
