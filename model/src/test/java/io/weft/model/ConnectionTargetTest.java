package io.weft.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.model.ConnectionTarget.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 10, item 1: every target that is accepted can be used, and what cannot be used is refused with a reason. */
class ConnectionTargetTest {

    @Test
    void parsesEveryOvsForm() {
        assertThat(ConnectionTarget.parse("tcp:10.0.0.1:6640")).isEqualTo(new ConnectionTarget(Kind.TCP, "10.0.0.1",
                6640, null));
        assertThat(ConnectionTarget.parse("ssl:[::1]:6640")).isEqualTo(new ConnectionTarget(Kind.SSL, "::1", 6640,
                null));
        assertThat(ConnectionTarget.parse("tcp:ovs-1.example.net:6640").host()).isEqualTo("ovs-1.example.net");
        assertThat(ConnectionTarget.parse("unix:/run/h1/db.sock").path()).isEqualTo("/run/h1/db.sock");
        assertThat(ConnectionTarget.parse("ptcp:6653")).isEqualTo(new ConnectionTarget(Kind.PTCP, null, 6653, null));
        assertThat(ConnectionTarget.parse("pssl:6653:192.0.2.1").host()).isEqualTo("192.0.2.1");
        assertThat(ConnectionTarget.parse("ptcp:6653:[::1]").host()).isEqualTo("::1");
        assertThat(ConnectionTarget.parse("punix:/run/h1/br-int.weft").kind()).isEqualTo(Kind.PUNIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp:10.0.0.1:6640", "ssl:[::1]:6640", "unix:/run/h1/db.sock", "ptcp:6653",
        "pssl:6653:192.0.2.1", "ptcp:6653:[fe80::1]", "punix:/run/h1/br-int.weft", "tcp:h1.example:1"})
    void printsBackWhatItParsed(String text) {
        assertThat(ConnectionTarget.parse(text)).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp:127.0.0.1:99999", "tcp:127.0.0.1:0", "tcp:127.0.0.1", "tcp:127.0.0.1:", "tcp::6640",
        "tcp:::1:6640", "tcp:[::1:6640", "tcp:[zz::1]:6640", "tcp:999.1.1.1:6640", "tcp:1.2.3:6640",
        "tcp:-bad-.example:6640", "tcp:a_b:6640", "tcp:10.0.0.1:+6640", "tcp:10.0.0.1:6640 ", "ssl:10.0.0.1:x",
        "unix:relative.sock", "unix:/run/../etc/x", "unix:/run//x", "unix:/run/x/", "unix:", "ptcp:6653",
        "udp:1.2.3.4:5", "", "tcp:10.0.0.1:6640\n", "tcp:10.0.0.1:0x10"})
    void refusesWhatCannotBeConnectedTo(String text) {
        assertThatThrownBy(() -> ConnectionTarget.connectable("ovsdb", text))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ovsdb target");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ptcp:70000", "ptcp:0", "pssl:0:127.0.0.1", "ptcp:6653:localhost", "ptcp:6653:",
        "ptcp:x", "punix:rel", "tcp:127.0.0.1:6653", "unix:/run/x.sock", "ptcp:6653:1.2.3.4.5"})
    void refusesBridgeListenersWeftCannotDial(String text) {
        assertThatThrownBy(() -> ConnectionTarget.bridgeListener("openflow", text))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("openflow target");
    }

    @Test
    void aSocketPathMustFitASocketAddress() {
        String path = "/tmp/" + "d".repeat(ConnectionTarget.MAX_PATH_BYTES - 5);
        assertThat(ConnectionTarget.parse("unix:" + path).path()).hasSize(ConnectionTarget.MAX_PATH_BYTES);
        assertThatThrownBy(() -> ConnectionTarget.parse("unix:" + path + "x")).hasMessageContaining("107 bytes");
    }

    @Test
    void weftsOwnListenersMayUsePortZero() {
        assertThat(ConnectionTarget.listener("ovsdb listen", "ptcp:0:127.0.0.1").port()).isZero();
        assertThat(ConnectionTarget.bindable("openflow listen", "tcp:127.0.0.1:0").port()).isZero();
        assertThatThrownBy(() -> ConnectionTarget.bindable("openflow listen", "tcp:ovs.example:6653"))
                .hasMessageContaining("not an IP address to listen on");
        assertThatThrownBy(() -> ConnectionTarget.listener("ovsdb listen", "tcp:127.0.0.1:6640"))
                .hasMessageContaining("ptcp:PORT");
    }

    @Test
    void aBridgeListenerIsDialedAtItsAddressOrTheHostsOwn() {
        assertThat(ConnectionTarget.parse("punix:/run/h1/br-int.weft").dialedAt("192.0.2.9"))
                .hasToString("unix:/run/h1/br-int.weft");
        assertThat(ConnectionTarget.parse("ptcp:6653:10.0.0.1").dialedAt("192.0.2.9")).hasToString("tcp:10.0.0.1:6653");
        assertThat(ConnectionTarget.parse("pssl:6653").dialedAt("192.0.2.9")).hasToString("ssl:192.0.2.9:6653");
        assertThat(ConnectionTarget.parse("ptcp:6653:0.0.0.0").dialedAt("192.0.2.9")).hasToString("tcp:192.0.2.9:6653");
    }

    @Test
    void aHostsBridgeIsDialedWhereWeftReachesItsOvsdbElseAtItsTunnelIp() {
        Host overTcp = new Host("h1", Ipv4Address.parse("172.31.1.11"), DatapathType.NETDEV,
                Optional.of("ssl:10.9.0.1:6640"), Optional.of("pssl:6653"));
        assertThat(overTcp.openflowDialed()).map(Object::toString).contains("ssl:10.9.0.1:6653");
        Host overUnix = new Host("h1", Ipv4Address.parse("172.31.1.11"), DatapathType.NETDEV,
                Optional.of("unix:/run/h1/db.sock"), Optional.of("ptcp:6653"));
        assertThat(overUnix.openflowDialed()).map(Object::toString).contains("tcp:172.31.1.11:6653");
    }

    @Test
    void aHostRefusesTargetsItCouldNotUse() {
        Ipv4Address ip = Ipv4Address.parse("172.31.1.11");
        assertThatThrownBy(() -> new Host("h1", ip, DatapathType.NETDEV, Optional.of("tcp:127.0.0.1:99999"),
                Optional.empty())).hasMessageContaining("port 99999");
        assertThatThrownBy(() -> new Host("h1", ip, DatapathType.NETDEV, Optional.empty(), Optional.of("ptcp:70000")))
                .hasMessageContaining("port 70000");
        assertThatThrownBy(() -> new Host("h1", ip, DatapathType.NETDEV, Optional.of("tcp:127.0.0.1:0"),
                Optional.empty())).hasMessageContaining("port 0");
    }
}
