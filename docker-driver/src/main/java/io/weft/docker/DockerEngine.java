package io.weft.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The few calls of Docker's Engine API the agent needs: list, create and remove the networks of this driver, and read
 * which containers run with which addresses. {@link DockerSocketClient} makes them on dockerd's socket.
 */
public interface DockerEngine extends AutoCloseable {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record IpamConfig(@JsonProperty("Subnet") String subnet, @JsonProperty("Gateway") String gateway) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Ipam(@JsonProperty("Driver") String driver, @JsonProperty("Options") Map<String, String> options,
                @JsonProperty("Config") List<IpamConfig> config) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Network(@JsonProperty("Id") String id, @JsonProperty("Name") String name,
                   @JsonProperty("Driver") String driver, @JsonProperty("Options") Map<String, String> options,
                   @JsonProperty("IPAM") Ipam ipam) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    /** {@code aliases}: the container's {@code --network-alias}es in that network, and its short id (Docker adds it). */
    record Attachment(@JsonProperty("NetworkID") String networkId, @JsonProperty("EndpointID") String endpointId,
                      @JsonProperty("IPAddress") String ipAddress, @JsonProperty("MacAddress") String mac,
                      @JsonProperty("Aliases") List<String> aliases) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Settings(@JsonProperty("Networks") Map<String, Attachment> networks) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Container(@JsonProperty("Id") String id, @JsonProperty("Names") List<String> names,
                     @JsonProperty("NetworkSettings") Settings settings) {
    }

    /** What the agent reads of {@code docker inspect}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Inspected(@JsonProperty("NetworkSettings") Settings settings) {
    }

    /** Docker refused or could not be reached; {@code status} 0 for the latter. */
    final class DockerException extends RuntimeException {
        private final int status;

        DockerException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The networks of {@code driver} on this daemon. */
    List<Network> networks(String driver);

    Network network(String id);

    void createNetwork(Map<String, Object> body);

    void removeNetwork(String id);

    /** Running containers: only they hold endpoints. Their networks' aliases are not in this list (Docker's). */
    List<Container> runningContainers();

    /** One container's networks as {@code docker inspect} shows them, aliases included. */
    Settings networkSettings(String containerId);

    @Override
    void close();
}
