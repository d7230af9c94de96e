package io.weft.southbound;

import java.net.SocketAddress;
import java.util.Optional;

/**
 * Decides, once a switch told its datapath id and before anything is read from or written to its tables, whether
 * Weft serves it. A refused switch is disconnected (it will retry with its own backoff).
 */
@FunctionalInterface
public interface SwitchAdmission {

    /** Serves every switch. */
    SwitchAdmission ANY = (dpid, from) -> Optional.empty();

    /** Empty to serve the switch, else why it is refused (for the log). */
    Optional<String> refusal(long datapathId, SocketAddress from);
}
