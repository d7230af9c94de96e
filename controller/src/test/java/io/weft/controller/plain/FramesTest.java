package io.weft.controller.plain;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void aProbeNamesThePortItWasSentFrom() {
        PortRef from = new PortRef(0xfedc_ba98_7654_3210L, 4093);
        byte[] frame = Frames.lldp(from, MacAddress.parse("02:00:00:00:00:01"));
        assertThat(Frames.probeOrigin(frame)).contains(from);
        assertThat(Frames.sender(frame)).as("a probe is no host's packet").isEmpty();
    }

    @Test
    void anArpRequestGivesItsSendersMacAndAddress() {
        byte[] arp = HexFormat.of().parseHex("ffffffffffff" + "0a0000000001" + "0806"
                + "0001080006040001" + "0a0000000001" + "0a000001" + "000000000000" + "0a000002");
        Frames.Sender s = Frames.sender(arp).orElseThrow();
        assertThat(s.mac()).isEqualTo(MacAddress.parse("0a:00:00:00:00:01"));
        assertThat(s.ip()).contains(Ipv4Address.parse("10.0.0.1"));
        assertThat(Frames.probeOrigin(arp)).isEmpty();
    }

    @Test
    void truncatedAndForeignFramesReadAsNothing() {
        assertThat(Frames.sender(new byte[10])).isEmpty();
        assertThat(Frames.probeOrigin(new byte[10])).isEmpty();
        // Someone else's LLDP: a MAC chassis id (subtype 4), not Weft's.
        byte[] other = HexFormat.of().parseHex("0180c200000e" + "0a0000000001" + "88cc"
                + "0207040a0000000001" + "0402070031" + "06020078" + "0000");
        assertThat(Frames.probeOrigin(other)).isEmpty();
        byte[] lying = HexFormat.of().parseHex("0180c200000e" + "0a0000000001" + "88cc" + "02ff07");
        assertThat(Frames.probeOrigin(lying)).isEmpty();
    }
}
