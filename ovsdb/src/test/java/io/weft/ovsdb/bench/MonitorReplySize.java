package io.weft.ovsdb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.ovsdb.ConnectionOptions;
import io.weft.ovsdb.OvsdbCodec;
import io.weft.ovsdb.OvsdbConnection;
import io.weft.ovsdb.OvsdbSnapshot;
import io.weft.ovsdb.OvsdbTransport;
import io.weft.testbed.OvsSandbox;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How large Weft's initial monitor reply is for a big host, which the OVSDB frame bound must exceed with margin:
 * br-int with N ports (9 in 10 container ports bound by {@code iface-id}, 1 in 10 VXLAN tunnels), written by one
 * ovs-vsctl batch into a private ovsdb-server, then monitored with Weft's columns and re-encoded compactly. Also how
 * much heap the controller's mirror of that host keeps: the {@link OvsdbSnapshot} made from the reply, measured as
 * used heap after full GCs with and without it.
 *
 * <pre>scripts/run-test-main.sh ovsdb io.weft.ovsdb.bench.MonitorReplySize 1000</pre>
 */
public final class MonitorReplySize {

    private MonitorReplySize() {
    }

    public static void main(String[] args) throws Exception {
        int ports = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        try (OvsSandbox ovs = OvsSandbox.start(OvsSandbox.Options.defaults().in(OvsSandbox.Placement.OVSDB_IN_ROOT)
                .withoutVswitchd());
             OvsdbTransport transport = OvsdbTransport.create(1)) {
            List<String> lines = new ArrayList<>(List.of("--may-exist add-br br-int -- set Bridge br-int "
                    + "datapath_type=netdev fail_mode=secure protocols=OpenFlow13,OpenFlow14 "
                    + "external_ids:weft-owner=weft other_config:datapath-id=00000000000000a1"));
            for (int i = 0; i < ports; i++) {
                if (i % 10 == 9) {
                    lines.add("-- add-port br-int vxlan-host" + i + " -- set Interface vxlan-host" + i
                            + " type=vxlan options:remote_ip=172.31." + (i / 250) + "." + (i % 250 + 1)
                            + " options:key=flow external_ids:weft-owner=weft -- set Port vxlan-host" + i
                            + " external_ids:weft-owner=weft");
                } else {
                    lines.add("-- add-port br-int veth" + Integer.toHexString(0x10000000 + i) + " -- set Interface "
                            + "veth" + Integer.toHexString(0x10000000 + i) + " external_ids:iface-id=network-" + (i % 7)
                            + "/container-" + i + " external_ids:weft-owner=weft");
                }
            }
            List<String> argv = new ArrayList<>(List.of("--no-wait"));
            for (String l : lines) {
                argv.addAll(List.of(l.split(" ")));
            }
            ovs.vsctl(argv.toArray(String[]::new));
            String reply = monitorReply(transport, ovs);
            int bytes = reply.getBytes(StandardCharsets.UTF_8).length;
            System.out.printf("RESULT %d ports: initial monitor reply %d bytes (%.1f KiB, %.0f bytes per port)%n",
                    ports, bytes, bytes / 1024.0, (double) bytes / ports);
            long without = usedHeapAfterGc();
            OvsdbSnapshot mirror = OvsdbSnapshot.EMPTY.apply(OvsdbCodec.MAPPER.readTree(reply));
            long with = usedHeapAfterGc();
            System.out.printf("RESULT %d ports: the mirror (%s) keeps %d bytes of heap (%.0f bytes per port)%n",
                    ports, mirror, with - without, (double) (with - without) / ports);
            Reference.reachabilityFence(mirror);
        }
    }

    /** The reply as compact JSON text, so that no tree of it stays reachable while the mirror's heap is measured. */
    private static String monitorReply(OvsdbTransport transport, OvsSandbox ovs) throws Exception {
        OvsdbConnection c = transport.connect(ovs.ovsdbTarget(), ConnectionOptions.defaults())
                .get(10, TimeUnit.SECONDS);
        JsonNode reply = c.monitor("size", OvsdbSnapshot.MONITORED_COLUMNS).get(30, TimeUnit.SECONDS);
        c.close();
        return OvsdbCodec.MAPPER.writeValueAsString(reply);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
