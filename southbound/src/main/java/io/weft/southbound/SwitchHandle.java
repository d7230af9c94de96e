package io.weft.southbound;

import io.weft.model.flow.Action;
import io.weft.model.flow.Meter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One connected switch, in Weft's terms (no OpenFlow library type crosses this interface). All futures complete on
 * the switch's own event loop; do not block in callbacks.
 */
public interface SwitchHandle {

    long datapathId();

    /**
     * The version agreed in the handshake. On {@link OpenFlowVersion#OF_10} only table 0, a match on in_port,
     * eth_src, eth_dst and eth_type, and output actions can be sent; {@link #send}, {@link #ensureMeter} and
     * {@link #setRole} fail with {@link UnsupportedByVersionException}, sending nothing, when asked for more.
     */
    OpenFlowVersion version();

    /** Whether {@link #send} is all-or-nothing (OpenFlow 1.4 bundles) rather than pipelined with a barrier (1.3). */
    boolean atomicUpdates();

    /** Ports by OpenFlow port number, kept current from port-status messages. */
    Map<Long, PortInfo> ports();

    boolean isConnected();

    /**
     * Sends {@code mods} in order and completes once the switch acknowledged them; fails with {@link ApplyException}
     * naming what the switch refused and what is not applied.
     */
    CompletableFuture<ApplyResult> send(List<FlowMod> mods);

    /** Every flow the switch holds now, with the packets and bytes each matched. */
    CompletableFuture<FlowTable> flows();

    /** How many flows each table holds now (tables without flows absent): a cheap check for drift. */
    CompletableFuture<Map<Integer, Long>> flowCounts();

    /** Flow-mods (add, modify, delete) sent to this switch since it connected. */
    long flowModsSent();

    CompletableFuture<Void> barrier();

    /** Sends {@code data} through {@code actions} as if it had arrived on {@code inPort} (OFPP_CONTROLLER for none). */
    CompletableFuture<Void> packetOut(long inPort, List<Action> actions, byte[] data);

    /**
     * Makes the switch hold {@code meter} as given (added, or modified when it exists). Sent in order with what
     * follows on this connection, so a flow-mod sent after this call may name the meter. Fails when the switch
     * refuses it (a datapath without meters).
     */
    CompletableFuture<Void> ensureMeter(Meter meter);

    /**
     * Sends {@code mods} in order, then a barrier; completes once the switch applied them all, fails with the first
     * it refused (those before it are applied). Fails with {@link UnsupportedByVersionException} on OpenFlow 1.0.
     */
    CompletableFuture<Void> sendGroups(List<GroupMod> mods);

    /** Every group the switch holds now (OFPMP_GROUP_DESC). */
    CompletableFuture<GroupTable> groups();

    /** OFPT_ROLE_REQUEST; completes with the role the switch granted, fails on a stale generation id. */
    CompletableFuture<Role> setRole(Role role, long generationId);

    void close();
}
