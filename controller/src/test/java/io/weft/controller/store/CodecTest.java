package io.weft.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.DatapathType;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stored records read back as they were written, and records written by older versions still read. */
class CodecTest {

    @Test
    void aHostRoundTripsWithItsIndex() {
        Host h = new Host("h1", Ipv4Address.parse("172.31.1.11"), DatapathType.NETDEV,
                Optional.of("tcp:172.31.1.11:6640"), Optional.empty()).withIndex(7);
        assertThat(Codec.decodeHost(Codec.encode(h))).isEqualTo(h);
    }

    @Test
    void aHostStoredBeforeHostsWereNumberedReadsWithoutIndex() {
        String stored = "{\"name\":\"h1\",\"tunnelIp\":\"172.31.1.11\",\"datapathType\":\"netdev\","
                + "\"ovsdb\":\"tcp:172.31.1.11:6640\",\"openflow\":null}";
        assertThat(Codec.decodeHost(stored).index()).isEmpty();
        assertThat(Codec.decodeHost(stored).ovsdbTarget()).hasValue("tcp:172.31.1.11:6640");
    }

    /** An endpoint with aliases as stored before endpoints had a hostname (the bytes a store file or etcd holds). */
    private static final String ENDPOINT_BEFORE_HOSTNAMES = "{\"network\":\"red\",\"name\":\"h1-0a0b0c0d\","
            + "\"host\":\"h1\",\"port\":\"wv0a0b0c0d\",\"mac\":\"02:42:0a:00:00:02\",\"ip\":\"10.0.0.2\","
            + "\"aliases\":[\"1a2b3c4d5e6f\",\"web1\"]}";

    @Test
    void anEndpointStoredBeforeHostnamesReadsWithoutOne_andOneWithoutIsWrittenToTheSameBytes() {
        Endpoint e = Codec.decodeEndpoint(ENDPOINT_BEFORE_HOSTNAMES);
        assertThat(e.hostname()).isEmpty();
        assertThat(e.aliases()).containsExactly("1a2b3c4d5e6f", "web1");
        assertThat(Codec.encode(e)).isEqualTo(ENDPOINT_BEFORE_HOSTNAMES);
    }

    @Test
    void anEndpointRoundTripsWithItsHostname() {
        Ipv4Address ip = Ipv4Address.parse("10.0.0.2");
        Endpoint e = new Endpoint(new EndpointId("red", "h1-0a0b0c0d"), "h1", "wv0a0b0c0d", MacAddress.fromIpv4(ip),
                ip, List.of("web1"), Optional.of("web1"));
        assertThat(Codec.encode(e)).contains("\"hostname\":\"web1\"");
        assertThat(Codec.decodeEndpoint(Codec.encode(e))).isEqualTo(e);
    }
}
