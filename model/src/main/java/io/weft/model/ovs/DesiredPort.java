package io.weft.model.ovs;

import java.util.Map;
import java.util.TreeMap;

/**
 * One Port (with its single Interface) Weft owns on a bridge.
 *
 * @param name        port and interface name, e.g. {@code vxlan-h2} or a container's host-side veth
 * @param type        the Interface type: {@code ""} for a system device, {@code internal}, {@code vxlan}, {@code gre}
 * @param options     Interface {@code options}, e.g. remote_ip, local_ip, key
 * @param externalIds Interface and Port {@code external_ids}; must include the owner mark
 */
public record DesiredPort(String name, String type, Map<String, String> options, Map<String, String> externalIds) {

    public DesiredPort {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("port name is missing");
        }
        type = type == null ? "" : type;
        options = Map.copyOf(new TreeMap<>(options));
        externalIds = Map.copyOf(new TreeMap<>(externalIds));
        if (!Ownership.OWNER_VALUE.equals(externalIds.get(Ownership.OWNER_KEY))) {
            throw new IllegalArgumentException("port " + name + " lacks the " + Ownership.OWNER_KEY + " mark");
        }
    }
}
