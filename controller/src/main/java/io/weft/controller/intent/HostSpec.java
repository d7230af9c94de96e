package io.weft.controller.intent;

import io.weft.model.DatapathType;

/**
 * A host as a client asks for it, unvalidated: {@link IntentService} checks and converts it.
 *
 * @param ovsdb        optional active target; absent for a host that connects to Weft's passive OVSDB listener
 * @param datapathType "system" or "netdev"; {@link #DEFAULT_DATAPATH} when null
 * @param openflow     optional passive target on the bridge
 */
public record HostSpec(String name, String tunnelIp, String ovsdb, String datapathType, String openflow) {

    /** The kernel datapath, what a host with Open vSwitch installed from its distribution runs. */
    public static final DatapathType DEFAULT_DATAPATH = DatapathType.SYSTEM;
}
