package io.weft.model.ovs;

import io.weft.model.DatapathType;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bridge Weft owns on a host and the ports it wants on it. Ports on the bridge that Weft does not own
 * (no {@link Ownership#OWNER_KEY}) are left alone.
 *
 * @param name              bridge name, normally {@code br-int}
 * @param datapathType      {@code system} or {@code netdev}
 * @param controllerTargets OpenFlow controller targets of the bridge (active {@code tcp:/ssl:/unix:} or passive
 *                          {@code ptcp:/pssl:/punix:})
 * @param ports             Weft-owned ports, names unique
 */
public record DesiredBridge(String name, DatapathType datapathType, List<String> controllerTargets,
                            List<DesiredPort> ports) {

    public static final String INTEGRATION_BRIDGE = "br-int";
    /** Fixed bridge settings: Weft's flows are the only forwarding, OpenFlow 1.3 with 1.4 for bundles. */
    public static final String FAIL_MODE = "secure";
    public static final List<String> PROTOCOLS = List.of("OpenFlow13", "OpenFlow14");
    public static final Map<String, String> OTHER_CONFIG = Map.of("disable-in-band", "true");

    public DesiredBridge {
        controllerTargets = List.copyOf(controllerTargets);
        ports = List.copyOf(ports);
        Set<String> names = new HashSet<>();
        for (DesiredPort p : ports) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("bridge " + name + ": port " + p.name() + " is listed twice");
            }
        }
    }
}
