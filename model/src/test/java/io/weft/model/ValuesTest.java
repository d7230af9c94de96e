package io.weft.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void ipv4RoundTripsAndRejectsJunk() {
        assertThat(Ipv4Address.parse("10.65.10.3").toString()).isEqualTo("10.65.10.3");
        assertThat(Ipv4Address.parse("255.255.255.255").asLong()).isEqualTo(0xffffffffL);
        for (String bad : List.of("10.1.1", "10.1.1.256", "01.1.1.1", "a.b.c.d", "", "1.2.3.4.5", "1..2.3")) {
            assertThatThrownBy(() -> Ipv4Address.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IPv4");
        }
    }

    @Test
    void cidrRejectsHostBitsWithAHint() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.1.1.5/24")).hasMessageContaining("did you mean 10.1.1.0/24");
        Ipv4Cidr c = Ipv4Cidr.parse("10.1.1.0/24");
        assertThat(c.contains(Ipv4Address.parse("10.1.1.254"))).isTrue();
        assertThat(c.contains(Ipv4Address.parse("10.1.2.1"))).isFalse();
        assertThat(c.broadcast()).hasToString("10.1.1.255");
        assertThat(c.overlaps(Ipv4Cidr.parse("10.1.0.0/16"))).isTrue();
        assertThat(c.overlaps(Ipv4Cidr.parse("11.1.1.0/24"))).isFalse();
    }

    @Test
    void macParsingAndDockerDerivation() {
        MacAddress mac = MacAddress.fromIpv4(Ipv4Address.parse("10.0.0.2"));
        assertThat(mac).hasToString("02:42:0a:00:00:02");
        assertThat(mac.isMulticast()).isFalse();
        assertThat(MacAddress.parse("01:00:5e:00:00:01").isMulticast()).isTrue();
        assertThatThrownBy(() -> MacAddress.parse("02:42:0a:00:00")).hasMessageContaining("MAC");
    }

    @Test
    void macTextRoundTripsEveryOctetValue() {
        for (String text : new String[] {"fe:dc:ba:98:76:54", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00",
                "80:7f:01:10:0f:f0"}) {
            assertThat(MacAddress.parse(text)).hasToString(text);
        }
        assertThat(MacAddress.BROADCAST).hasToString("ff:ff:ff:ff:ff:ff");
    }

    @Test
    void subnetGatewayMustBeInsideAndAssignable() {
        assertThatThrownBy(() -> Subnet.of("10.1.1.0/24", "10.1.2.1")).hasMessageContaining("outside subnet");
        assertThatThrownBy(() -> Subnet.of("10.1.1.0/24", "10.1.1.255")).hasMessageContaining("broadcast");
        Subnet s = Subnet.of("10.1.1.0/24", "10.1.1.1");
        assertThat(s.isAssignable(Ipv4Address.parse("10.1.1.1"))).isFalse();
        assertThat(s.isAssignable(Ipv4Address.parse("10.1.1.2"))).isTrue();
    }

    @Test
    void networkValidatesVniAndOverlap() {
        List<Subnet> one = List.of(Subnet.of("10.0.0.0/24", "10.0.0.1"));
        assertThatThrownBy(() -> new Network("n", 0, Encapsulation.VXLAN, 1450, one)).hasMessageContaining("VNI 0");
        assertThatThrownBy(() -> new Network("n", 1 << 24, Encapsulation.VXLAN, 1450, one)).hasMessageContaining("VNI");
        assertThatThrownBy(() -> new Network("n", 5, Encapsulation.VXLAN, 1450,
                List.of(Subnet.of("10.0.0.0/16", "10.0.0.1"), Subnet.of("10.0.1.0/24", "10.0.1.1"))))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> new Network("bad name", 5, Encapsulation.VXLAN, 1450, one))
                .hasMessageContaining("network name 'bad name' is invalid");
    }

    @Test
    void tunnelPortNamesFitInterfaceNames() {
        assertThat(TunnelPort.portName("h2", Encapsulation.VXLAN)).isEqualTo("vxlan-h2");
        assertThat(TunnelPort.portName("h2", Encapsulation.GRE)).isEqualTo("gre-h2");
        // Too long for an interface name: a prefix and the name's hash, the same on every JVM (String.hashCode is
        // specified), so a controller restarted elsewhere finds the ports it made.
        assertThat(TunnelPort.portName("a-very-long-host-name", Encapsulation.VXLAN)).isEqualTo("vx-dac60f8a");
        assertThat(TunnelPort.portName("a-very-long-host-name", Encapsulation.GRE)).isEqualTo("gr-dac60f8a");
        assertThat(TunnelPort.portName("a-very-long-host-nam3", Encapsulation.VXLAN)).isEqualTo("vx-dac60f58");
        assertThat(TunnelPort.portName("h-of-11char", Encapsulation.GRE)).isEqualTo("gre-h-of-11char");
    }

    @Test
    void anEndpointsHostnameIsADnsLabelKeptInLowerCaseAndEmptyWhenNotGiven() {
        EndpointId id = new EndpointId("red", "h1-0a0b0c0d");
        Ipv4Address ip = Ipv4Address.parse("10.0.0.2");
        MacAddress mac = MacAddress.fromIpv4(ip);
        assertThat(new Endpoint(id, "h1", "veth1", mac, ip).hostname()).isEmpty();
        Endpoint named = new Endpoint(id, "h1", "veth1", mac, ip, List.of("web"), Optional.of("Web1"));
        assertThat(named.hostname()).contains("web1");
        assertThat(named.withNames(List.of("api"), Optional.empty()))
                .isEqualTo(new Endpoint(id, "h1", "veth1", mac, ip, List.of("api")));
        assertThatThrownBy(() -> new Endpoint(id, "h1", "veth1", mac, ip, List.of(), Optional.of("web_1")))
                .hasMessageContaining("hostname 'web_1' is not a DNS label");
        assertThatThrownBy(() -> new Endpoint(id, "h1", "veth1", mac, ip, List.of(), Optional.of("")))
                .hasMessageContaining("hostname is empty");
    }
}
