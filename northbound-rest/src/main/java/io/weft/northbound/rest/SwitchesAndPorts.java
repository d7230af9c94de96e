package io.weft.northbound.rest;

import io.weft.controller.PlainSwitch;
import java.util.List;
import java.util.Optional;

/**
 * What the REST API asks of the running controller beyond {@link io.weft.controller.ControllerView}: which bridges
 * connected over OpenFlow without being Weft hosts, and which ofport an endpoint's port got. The reconciler answers
 * both; a proposal is to move them into {@code ControllerView}.
 */
public interface SwitchesAndPorts {

    SwitchesAndPorts NONE = new SwitchesAndPorts() {
        @Override
        public List<PlainSwitch> plainSwitches() {
            return List.of();
        }

        @Override
        public Optional<Integer> endpointOfport(String host, String port) {
            return Optional.empty();
        }
    };

    /** Connected OpenFlow switches that belong to no Weft host. */
    List<PlainSwitch> plainSwitches();

    /** The ofport OVS gave {@code port} on {@code host}'s br-int, once it is there. */
    Optional<Integer> endpointOfport(String host, String port);
}
