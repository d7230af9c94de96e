package io.weft.controller.reconcile;

import io.weft.model.Host;

/** Opens a host's OVSDB session; {@code onChange} is called (from any thread) whenever its cache or link changes. */
@FunctionalInterface
public interface HostConnector {
    /** @throws HostConnectionException when the host cannot be connected with this controller's configuration */
    OvsdbSide connect(Host host, Runnable onChange);
}
