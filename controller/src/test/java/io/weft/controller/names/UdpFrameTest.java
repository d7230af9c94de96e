package io.weft.controller.names;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import org.junit.jupiter.api.Test;

class UdpFrameTest {

    private static final UdpFrame QUERY = new UdpFrame(MacAddress.parse("02:42:0a:41:0a:01"),
            MacAddress.parse("0a:58:0a:41:0a:fe"), Ipv4Address.parse("10.65.10.1"), Ipv4Address.parse("10.65.10.254"),
            40000, 53, new byte[] {1, 2, 3});

    @Test
    void theReplyGoesBackToTheSenderFromWhereItWasSentWithValidChecksums() {
        byte[] reply = QUERY.reply(new byte[] {9, 8, 7, 6, 5});
        UdpFrame back = UdpFrame.parse(reply).orElseThrow();
        assertThat(back.srcMac()).isEqualTo(QUERY.dstMac());
        assertThat(back.dstMac()).isEqualTo(QUERY.srcMac());
        assertThat(back.srcIp()).isEqualTo(QUERY.dstIp());
        assertThat(back.dstIp()).isEqualTo(QUERY.srcIp());
        assertThat(back.srcPort()).isEqualTo(53);
        assertThat(back.dstPort()).isEqualTo(40000);
        assertThat(back.payload()).containsExactly(9, 8, 7, 6, 5);
        assertThat(Ipv4Frame.checksum(reply, 14, 20, 0)).as("IPv4 header checksum").isZero();
        long pseudo = (10 << 8 | 65) + (10 << 8 | 254) + (10 << 8 | 65) + (10 << 8 | 1) + 17 + 13;
        assertThat(Ipv4Frame.checksum(reply, 34, 13, pseudo)).as("UDP checksum").isZero();
    }

    @Test
    void fragmentsAndLyingLengthsAreNotRead() {
        byte[] frame = QUERY.reply(new byte[] {1});
        byte[] fragment = frame.clone();
        fragment[14 + 6] = 0x20; // more fragments
        assertThat(UdpFrame.parse(fragment)).isEmpty();
        byte[] longer = frame.clone();
        longer[14 + 2] = 0x7f; // total length beyond the frame
        assertThat(UdpFrame.parse(longer)).isEmpty();
    }
}
