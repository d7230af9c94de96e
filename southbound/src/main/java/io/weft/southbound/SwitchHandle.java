package io.weft.southbound;

import io.weft.model.flow.Action;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFVersion;

/** One connected switch. All futures complete on the switch's own event loop; do not block in callbacks. */
public interface SwitchHandle {

    long datapathId();

    /** The negotiated OpenFlow version: OF_14 when the switch offers it (bundles), else OF_13. */
    OFVersion version();

    /** Ports by OpenFlow port number, kept current from port-status messages. */
    Map<Long, PortInfo> ports();

    FlowProgrammer programmer();

    boolean isConnected();

    CompletableFuture<Void> barrier();

    /** Sends {@code data} through {@code actions} as if it had arrived on {@code inPort} (OFPP_CONTROLLER for none). */
    CompletableFuture<Void> packetOut(long inPort, List<Action> actions, byte[] data);

    /** Flow stats of every table (multipart, all parts gathered). */
    CompletableFuture<List<OFFlowStatsEntry>> flowStats();

    CompletableFuture<List<OFGroupDescStatsEntry>> groupDesc();

    CompletableFuture<List<OFPortStatsEntry>> portStats();

    /** OFPT_ROLE_REQUEST; completes with the role the switch granted, fails on a stale generation id. */
    CompletableFuture<Role> setRole(Role role, long generationId);

    void close();
}
