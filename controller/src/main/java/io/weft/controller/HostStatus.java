package io.weft.controller;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an operator asks about a host: is Weft connected to it, what has it built there, did anything fail.
 *
 * @param appliedRevision the newest store revision whose ports and flows the host has acknowledged
 */
public record HostStatus(String host, boolean ovsdbConnected, boolean openflowConnected, Optional<String> datapathId,
                         List<String> tunnelPorts, Optional<Instant> lastSync, int flowsInstalled,
                         Optional<String> lastError, long appliedRevision) {

    public HostStatus {
        tunnelPorts = List.copyOf(tunnelPorts);
    }
}
