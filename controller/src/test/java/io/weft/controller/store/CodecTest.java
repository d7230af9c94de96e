package io.weft.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.DatapathType;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
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
}
