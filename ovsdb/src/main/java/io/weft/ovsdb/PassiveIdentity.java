package io.weft.ovsdb;

import java.util.Map;

/**
 * Who connected to the passive {@link OvsdbManagerListener}, read from its {@code Open_vSwitch} row before anything
 * else is done with the connection.
 *
 * @param peer        the remote address, for logs
 * @param systemId    {@code external_ids:system-id}, the host's name in Weft
 * @param externalIds the whole {@code Open_vSwitch.external_ids} map (tunnel IP and other hints for registration)
 * @param origin      what the kernel and TLS say about the peer, which it cannot make up (unlike the rest)
 */
public record PassiveIdentity(String peer, String systemId, Map<String, String> externalIds, PeerOrigin origin) {

    public PassiveIdentity {
        externalIds = Map.copyOf(externalIds);
        origin = origin == null ? PeerOrigin.UNKNOWN : origin;
    }
}
