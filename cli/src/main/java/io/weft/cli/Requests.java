package io.weft.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The bodies the commands send; what the user left out is left out, for the controller's defaults to apply. */
final class Requests {

    private Requests() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Network(String name, List<Subnet> subnets, String encap, Integer vni, Integer mtu) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Subnet(String cidr, String gateway) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Host(String name, String tunnelIp, String ovsdb, String datapathType, String openflow) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Endpoint(String name, String host, String port, String ip, String mac) {
    }
}
