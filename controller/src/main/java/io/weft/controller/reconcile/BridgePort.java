package io.weft.controller.reconcile;

import java.util.Optional;

/**
 * A port on a host's br-int as the OVSDB cache shows it.
 *
 * @param ofport  the OpenFlow port number, or empty while OVS has not assigned one (or could not open the device)
 * @param owned   carries Weft's owner mark
 * @param ifaceId {@code external_ids:iface-id} of its interface, set by tools such as ovs-docker or CNI plugins
 * @param error   the Interface's {@code error} column, e.g. "could not open network device veth1 (No such device)"
 * @param ofportRequest the Interface's {@code ofport_request}: the number the port was created with a request for
 */
public record BridgePort(String name, Optional<Integer> ofport, boolean owned, Optional<String> ifaceId,
                         Optional<String> error, Optional<Integer> ofportRequest) {
}
