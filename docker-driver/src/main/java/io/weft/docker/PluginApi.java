package io.weft.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The bodies of Docker's plugin protocol for network and IPAM drivers (libnetwork's {@code drivers/remote/api} and
 * {@code ipams/remote/api}), field names as Docker spells them. Requests ignore fields Docker may add; replies leave
 * out what is null. Real requests as dockerd 20.10 sends them are under this module's test resources.
 */
public final class PluginApi {

    private PluginApi() {
    }

    public static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1.2+json";
    /** The address space this IPAM answers for; a network whose pools are elsewhere was not made with it. */
    public static final String ADDRESS_SPACE = "weft";
    /** RequestAddress's option naming what the address is for: the network's gateway rather than a container. */
    public static final String REQUEST_ADDRESS_TYPE = "RequestAddressType";
    public static final String GATEWAY_ADDRESS = "com.docker.network.gateway";
    /** The MAC Docker chose for the endpoint; passed to RequestAddress only to an IPAM that requires it. */
    public static final String MAC_OPTION = "com.docker.network.endpoint.macaddress";
    /** Where CreateNetwork's options carry the user's {@code -o KEY=VALUE}s. */
    public static final String GENERIC_OPTIONS = "com.docker.network.generic";

    public record Activate(@JsonProperty("Implements") List<String> implementsApis) {
    }

    public record NetworkCapabilities(@JsonProperty("Scope") String scope,
                                      @JsonProperty("ConnectivityScope") String connectivityScope) {
    }

    public record IpamCapabilities(@JsonProperty("RequiresMACAddress") boolean requiresMacAddress,
                                   @JsonProperty("RequiresRequestReplay") boolean requiresRequestReplay) {
    }

    public record AddressSpaces(@JsonProperty("LocalDefaultAddressSpace") String local,
                                @JsonProperty("GlobalDefaultAddressSpace") String global) {
    }

    public record IpamData(@JsonProperty("AddressSpace") String addressSpace, @JsonProperty("Pool") String pool,
                           @JsonProperty("Gateway") String gateway,
                           @JsonProperty("AuxAddresses") Map<String, String> auxAddresses) {
    }

    public record CreateNetwork(@JsonProperty("NetworkID") String networkId,
                                @JsonProperty("Options") Map<String, Object> options,
                                @JsonProperty("IPv4Data") List<IpamData> ipv4Data,
                                @JsonProperty("IPv6Data") List<IpamData> ipv6Data) {
    }

    public record NetworkId(@JsonProperty("NetworkID") String networkId) {
    }

    public record EndpointInterface(@JsonProperty("Address") String address,
                                    @JsonProperty("AddressIPv6") String addressIpv6,
                                    @JsonProperty("MacAddress") String macAddress) {
    }

    public record CreateEndpoint(@JsonProperty("NetworkID") String networkId,
                                 @JsonProperty("EndpointID") String endpointId,
                                 @JsonProperty("Interface") EndpointInterface iface,
                                 @JsonProperty("Options") Map<String, Object> options) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateEndpointReply(@JsonProperty("Interface") ReplyInterface iface) {
    }

    /** Only what the driver adds: Docker refuses a reply that repeats an address it chose itself. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplyInterface(@JsonProperty("MacAddress") String macAddress) {
    }

    /** DeleteEndpoint, EndpointOperInfo, Leave, Program/RevokeExternalConnectivity. */
    public record EndpointRef(@JsonProperty("NetworkID") String networkId,
                              @JsonProperty("EndpointID") String endpointId) {
    }

    public record OperInfo(@JsonProperty("Value") Map<String, Object> value) {
    }

    public record Join(@JsonProperty("NetworkID") String networkId, @JsonProperty("EndpointID") String endpointId,
                       @JsonProperty("SandboxKey") String sandboxKey,
                       @JsonProperty("Options") Map<String, Object> options) {
    }

    public record InterfaceName(@JsonProperty("SrcName") String srcName,
                                @JsonProperty("DstPrefix") String dstPrefix) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JoinReply(@JsonProperty("InterfaceName") InterfaceName interfaceName,
                            @JsonProperty("Gateway") String gateway,
                            @JsonProperty("DisableGatewayService") boolean disableGatewayService) {
    }

    public record RequestPool(@JsonProperty("AddressSpace") String addressSpace, @JsonProperty("Pool") String pool,
                              @JsonProperty("SubPool") String subPool,
                              @JsonProperty("Options") Map<String, String> options, @JsonProperty("V6") boolean v6) {
    }

    public record PoolReply(@JsonProperty("PoolID") String poolId, @JsonProperty("Pool") String pool,
                            @JsonProperty("Data") Map<String, String> data) {
    }

    public record PoolRef(@JsonProperty("PoolID") String poolId) {
    }

    public record RequestAddress(@JsonProperty("PoolID") String poolId, @JsonProperty("Address") String address,
                                 @JsonProperty("Options") Map<String, String> options) {
    }

    public record AddressReply(@JsonProperty("Address") String address, @JsonProperty("Data") Map<String, String> data) {
    }

    public record ReleaseAddress(@JsonProperty("PoolID") String poolId, @JsonProperty("Address") String address) {
    }

    /** The empty success reply. */
    public record Empty() {
    }
}
