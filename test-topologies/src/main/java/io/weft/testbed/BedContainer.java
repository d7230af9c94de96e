package io.weft.testbed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A container of a running bed: a namespace with {@code interfaceName} (eth0, MTU 1400) whose veth peer
 * {@code hostInterface} sits UP in its host's namespace on no bridge, for Weft to add to br-int.
 * {@code network}, {@code ip}, {@code gateway} are what the topology intends: what a test announces to Weft.
 *
 * @param pid a process in the container's namespace
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BedContainer(String name, String host, long pid, @JsonProperty("interface") String interfaceName, String hostInterface, String ip,
                           int prefixLength, String mac, String gateway, String network) {

    /** Runs {@code argv} in the container's namespace. */
    public ExecResult exec(String... argv) {
        return exec(NamespaceExec.DEFAULT_TIMEOUT, argv);
    }

    public ExecResult exec(Duration timeout, String... argv) {
        return NamespaceExec.run(pid, Map.of(), timeout, argv);
    }

    /**
     * True when all {@code count} echo requests to {@code ip} are answered within {@code timeout}
     * ({@code ping -c COUNT -i 0.2 -W 1 -w SECONDS}).
     */
    public boolean ping(String ip, int count, Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return exec(timeout.plusSeconds(5), "ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2", "-W", "1",
                "-w", Long.toString(seconds), ip).ok();
    }

    /** The container as an endpoint of Weft's model (network, name, host, host-side port, MAC, IP). */
    public Endpoint toEndpoint() {
        return new Endpoint(new EndpointId(network, name), host, hostInterface, MacAddress.parse(mac),
                Ipv4Address.parse(ip));
    }

    /** {@code ip/prefixLength}. */
    public String cidr() {
        return ip + "/" + prefixLength;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(%s on %s, %s via %s)", name, cidr(), host, network, hostInterface);
    }
}
