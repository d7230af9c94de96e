package io.weft.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** An endpoint's port is something Linux can call an interface, and never one of Weft's own ports. */
class PortNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"veth-c1", "eth0", "c1-eth0", "tap_1.2", "vethab12cd34567", "_x", "vxlan", "gre",
            "vx-1234", "br-phy", "br-int0"})
    void accepts_interface_names(String name) {
        assertThat(PortNames.requireEndpointPort(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sixteen-bytes-xx|16 bytes long and Linux allows 15",
            "éééééééé|16 bytes long",
            ".|not an interface name",
            "..|not an interface name",
            "-x|not an interface name",
            "$(id);x|not an interface name",
            "a b|not an interface name",
            "a/b|not an interface name",
            "a:b|not an interface name",
            "a\tb|a\\u0009b' is not an interface name",
            "ve\u200bth|ve\\u200bth' is not an interface name",
            "br-int|belongs to Weft (the integration bridge",
            "vxlan-h2|belongs to Weft (Weft names its tunnel ports",
            "gre-h2|belongs to Weft",
            "vx-0a1b2c3d|belongs to Weft",
            "gr-0a1b2c3d|belongs to Weft"})
    void refuses_what_cannot_be_a_container_interface(String name, String why) {
        assertThatThrownBy(() -> PortNames.requireEndpointPort(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\u0000b", "x\r", "\u007f"})
    void control_characters_are_refused_and_shown_escaped(String name) {
        assertThatThrownBy(() -> PortNames.requireEndpointPort(name)).hasMessageContaining("not an interface name")
                .message().doesNotContainPattern("\\p{Cntrl}");
    }

    @ParameterizedTest
    @ValueSource(strings = {""})
    void a_missing_port_says_so(String name) {
        assertThatThrownBy(() -> PortNames.requireEndpointPort(name)).hasMessageContaining("port is missing");
        assertThatThrownBy(() -> PortNames.requireEndpointPort(null)).hasMessageContaining("port is missing");
    }

    @Property
    void no_endpoint_can_claim_a_tunnel_port(@ForAll("hostNames") String peer, @ForAll Encapsulation encap) {
        String tunnel = TunnelPort.portName(peer, encap);
        assertThat(TunnelPort.isTunnelPortName(tunnel)).isTrue();
        assertThatThrownBy(() -> PortNames.requireEndpointPort(tunnel)).hasMessageContaining("belongs to Weft");
    }

    @Property
    void safe_short_names_that_are_not_weft_names_are_accepted(
            @ForAll("safeNames") String name) {
        if (PortNames.weftOwned(name).isEmpty()) {
            assertThat(PortNames.requireEndpointPort(name)).isEqualTo(name);
        }
    }

    @Provide
    Arbitrary<String> hostNames() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_.-").ofMinLength(0)
                .ofMaxLength(62).map(s -> "h" + s);
    }

    @Provide
    Arbitrary<String> safeNames() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_.-").ofMinLength(0)
                .ofMaxLength(PortNames.MAX_BYTES - 1).map(s -> "v" + s);
    }
}
