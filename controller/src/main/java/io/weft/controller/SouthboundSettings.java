package io.weft.controller;

import io.weft.model.Names;
import io.weft.ovsdb.ConnectionOptions;
import io.weft.ovsdb.OvsdbTransport;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Who may connect to the controller's southbound listeners, and how much a connection may make it hold.
 *
 * @param ovsdbAllow           system-ids allowed to connect to the passive OVSDB listener without a certificate
 * @param ovsdbAllowFile       a file of more such system-ids, one per line ({@code #} comments), read again when it
 *                             changes
 * @param openflowRequireKnown serve only switches whose datapath id is a registered host's br-int
 * @param ovsdbMaxMessageBytes largest OVSDB message accepted from a host
 * @param ovsdbBufferBudget    bytes of unfinished OVSDB messages all connections together may hold
 */
public record SouthboundSettings(Set<String> ovsdbAllow, Optional<Path> ovsdbAllowFile, boolean openflowRequireKnown,
                                 int ovsdbMaxMessageBytes, long ovsdbBufferBudget) {

    public SouthboundSettings {
        ovsdbAllow = Set.copyOf(ovsdbAllow);
        ovsdbAllow.forEach(id -> Names.require("--ovsdb-allow system-id", id));
        ovsdbAllowFile = ovsdbAllowFile == null ? Optional.empty() : ovsdbAllowFile;
        if (ovsdbMaxMessageBytes < 64 * 1024) {
            throw new IllegalArgumentException("the largest OVSDB message must allow at least 64 KiB");
        }
        if (ovsdbBufferBudget < ovsdbMaxMessageBytes) {
            throw new IllegalArgumentException("the OVSDB buffer budget (" + ovsdbBufferBudget + " bytes) must hold "
                    + "at least one largest message (" + ovsdbMaxMessageBytes + " bytes)");
        }
    }

    public static SouthboundSettings defaults() {
        return new SouthboundSettings(Set.of(), Optional.empty(), false, ConnectionOptions.DEFAULT_MAX_FRAME_BYTES,
                OvsdbTransport.DEFAULT_BUFFER_BUDGET);
    }
}
