package io.weft.controller.view;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an operator asks about a host: is Weft connected to it, what has it built there, does the switch hold what
 * Weft wants, did anything fail.
 *
 * @param flowsDesired    flows Weft wants on the host's br-int
 * @param flowsInstalled  flows the switch acknowledged (as last read)
 * @param inSync          the switch holds exactly the desired flows and ports, with nothing waiting to be sent
 * @param lastError       the last failure to reach or program the host, if it has not recovered since
 * @param appliedRevision the newest store revision whose flows the host's switch has acknowledged
 * @param lastDrift       the last time Weft found the switch's flows changed by someone else, and what it found
 * @param driftsRepaired  how many times that happened since the controller started
 * @param flowModsSent    flow-mods (add, modify, delete) this controller sent to the host's switch on its current
 *                        OpenFlow connection; 0 while not connected. A restart that found every flow right sends 0.
 */
public record HostStatus(String host, boolean ovsdbConnected, boolean openflowConnected, Optional<String> datapathId,
                         List<String> tunnelPorts, Optional<Instant> lastSync, int flowsDesired, int flowsInstalled,
                         boolean inSync, Optional<String> lastError, long appliedRevision, Optional<Drift> lastDrift,
                         long driftsRepaired, long flowModsSent) {

    public HostStatus {
        tunnelPorts = List.copyOf(tunnelPorts);
    }

    /** Flows someone else changed on a switch, found by an audit and repaired. */
    public record Drift(Instant at, String what) {
    }
}
