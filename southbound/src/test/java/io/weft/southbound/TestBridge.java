package io.weft.southbound;

import io.weft.model.DatapathId;
import io.weft.testbed.OvsSandbox;
import java.io.IOException;

/** A bridge as Weft configures br-int (secure fail mode, userspace datapath) in an OVS sandbox, datapath id 0xa1. */
final class TestBridge {

    static final long DPID = 0xa1L;

    private TestBridge() {
    }

    /** {@code br-int}, pointed at {@code controllerTarget} (active, or passive {@code punix:}/{@code ptcp:}). */
    static void create(OvsSandbox ovs, String controllerTarget, String protocols) throws IOException {
        create(ovs, "br-int", controllerTarget, protocols);
    }

    static void create(OvsSandbox ovs, String bridge, String controllerTarget, String protocols) throws IOException {
        ovs.addBridge(bridge, "fail_mode=secure", "protocols=" + protocols,
                "other-config:datapath-id=" + DatapathId.hex(DPID));
        if (controllerTarget != null) {
            ovs.vsctl("set-controller", bridge, controllerTarget);
        }
    }

    /** tx_pkts of one port of {@code bridge}, as {@code ovs-ofctl -O PROTOCOL dump-ports} shows it. */
    static long txPackets(OvsSandbox ovs, String bridge, String protocol, int port) throws IOException {
        String dump = ovs.ofctl("-O", protocol, "dump-ports", ovs.mgmt(bridge), String.valueOf(port));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("tx pkts=(\\d+)").matcher(dump);
        if (!m.find()) {
            throw new AssertionError("no tx pkts in: " + dump);
        }
        return Long.parseLong(m.group(1));
    }
}
