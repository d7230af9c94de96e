package io.weft.controller.names;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import org.junit.jupiter.api.Test;

class TcpSegmentTest {

    private static final MacAddress GATEWAY_MAC = MacAddress.parse("0a:58:0a:41:0a:fe");
    private static final MacAddress CLIENT_MAC = MacAddress.parse("02:42:0a:41:0a:01");

    @Test
    void aSegmentWrittenToAFrameReadsBackWithValidIpv4AndTcpChecksums() {
        TcpSegment s = new TcpSegment(Ipv4Address.parse("10.65.10.254"), Ipv4Address.parse("10.65.10.1"), 53, 40000,
                0xfedcba98, 12345, TcpSegment.SYN | TcpSegment.ACK, 4098, 1460, new byte[] {1, 2, 3});
        byte[] frame = s.toFrame(GATEWAY_MAC, CLIENT_MAC);
        Ipv4Frame ip = Ipv4Frame.parse(frame).orElseThrow();
        assertThat(ip.srcMac()).isEqualTo(GATEWAY_MAC);
        assertThat(ip.dstMac()).isEqualTo(CLIENT_MAC);
        TcpSegment back = TcpSegment.parse(ip).orElseThrow();
        assertThat(back).usingRecursiveComparison().isEqualTo(s);
        assertThat(Ipv4Frame.checksum(frame, 14, 20, 0)).as("IPv4 header checksum").isZero();
        int tcpLength = frame.length - 34;
        long pseudo = (10 << 8 | 65) + (10 << 8 | 254) + (10 << 8 | 65) + (10 << 8 | 1) + 6 + tcpLength;
        assertThat(Ipv4Frame.checksum(frame, 34, tcpLength, pseudo)).as("TCP checksum").isZero();
    }

    @Test
    void anOddLengthPayloadChecksumsAndNoMssOptionReadsAsZero() {
        TcpSegment s = new TcpSegment(Ipv4Address.parse("192.0.2.53"), Ipv4Address.parse("10.65.10.1"), 53, 40000,
                1, 2, TcpSegment.ACK | TcpSegment.PSH, 100, 0, new byte[] {9, 8, 7, 6, 5});
        byte[] frame = s.toFrame(GATEWAY_MAC, CLIENT_MAC);
        long pseudo = (192 << 8) + (2 << 8 | 53) + (10 << 8 | 65) + (10 << 8 | 1) + 6 + 25;
        assertThat(Ipv4Frame.checksum(frame, 34, 25, pseudo)).isZero();
        assertThat(TcpSegment.parse(Ipv4Frame.parse(frame).orElseThrow()).orElseThrow().mss()).isZero();
    }

    @Test
    void aHeaderLongerThanTheSegmentAndUdpReadAsNoSegment() {
        byte[] frame = new TcpSegment(Ipv4Address.parse("10.65.10.254"), Ipv4Address.parse("10.65.10.1"), 53, 1, 0,
                0, TcpSegment.ACK, 0, 0, new byte[0]).toFrame(GATEWAY_MAC, CLIENT_MAC);
        frame[34 + 12] = (byte) 0xf0; // 60 bytes of header in a 20-byte segment
        assertThat(TcpSegment.parse(Ipv4Frame.parse(frame).orElseThrow())).isEmpty();
        byte[] udp = new UdpFrame(CLIENT_MAC, GATEWAY_MAC, Ipv4Address.parse("10.65.10.1"),
                Ipv4Address.parse("10.65.10.254"), 40000, 53, new byte[30]).reply(new byte[30]);
        assertThat(TcpSegment.parse(Ipv4Frame.parse(udp).orElseThrow())).isEmpty();
    }
}
