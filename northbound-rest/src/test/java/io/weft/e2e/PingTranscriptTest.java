package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PingTranscriptTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** Captured from {@code ping -D -i 0.05 -W 1} to a peer answering after 30 ms, SIGINT at 1795957082.130. */
    private static final String STOPPED_WITH_ONE_ON_ITS_WAY = """
            PING 10.99.0.2 (10.99.0.2) 56(84) bytes of data.
            [1795957081.891248] 64 bytes from 10.99.0.2: icmp_seq=1 ttl=64 time=31.6 ms
            [1795957081.941119] 64 bytes from 10.99.0.2: icmp_seq=2 ttl=64 time=30.7 ms
            [1795957081.991916] 64 bytes from 10.99.0.2: icmp_seq=3 ttl=64 time=30.6 ms
            [1795957082.042631] 64 bytes from 10.99.0.2: icmp_seq=4 ttl=64 time=30.5 ms
            [1795957082.095922] 64 bytes from 10.99.0.2: icmp_seq=5 ttl=64 time=33.1 ms

            --- 10.99.0.2 ping statistics ---
            6 packets transmitted, 5 received, 16.6667% packet loss, time 253ms
            rtt min/avg/max/mdev = 30.455/31.290/33.134/0.998 ms
            """;

    @Test
    void theEchoOnItsWayWhenStoppedIsNotLost() {
        PingTranscript t = PingTranscript.parse(STOPPED_WITH_ONE_ON_ITS_WAY, 1795957082.130, INTERVAL, TIMEOUT);
        assertThat(t.transmitted()).isEqualTo(6);
        assertThat(t.answered()).isEqualTo(5);
        assertThat(t.lost()).isEmpty();
        assertThat(t.inFlightAtStop()).containsExactly(6);
        assertThat(t.pingsOwnSummary()).startsWith("6 packets transmitted, 5 received, 16.6667% packet loss")
                .contains("rtt min/avg/max/mdev = 30.455/31.290/33.134/0.998 ms");
    }

    @Test
    void aGapBeforeALaterAnswerIsLost() {
        String out = STOPPED_WITH_ONE_ON_ITS_WAY.replaceAll("(?m)^.*icmp_seq=3 .*\\n", "");
        PingTranscript t = PingTranscript.parse(out, 1795957082.130, INTERVAL, TIMEOUT);
        assertThat(t.lost()).containsExactly(3);
        assertThat(t.inFlightAtStop()).containsExactly(6);
    }

    @Test
    void unansweredTailOlderThanTheTimeoutIsLost() {
        // Stopped 2 s after the last answer: echoes 6 and later had a whole second to be answered.
        String out = STOPPED_WITH_ONE_ON_ITS_WAY.replace("6 packets transmitted", "45 packets transmitted");
        PingTranscript t = PingTranscript.parse(out, 1795957084.100, INTERVAL, TIMEOUT);
        // Echo n was sent at 1795957082.063 + (n - 5) * 0.05 at the earliest; those up to 1 s before the stop count.
        assertThat(t.lost()).hasSize(45 - 5 - 20).startsWith(6, 7).endsWith(25);
        assertThat(t.inFlightAtStop()).startsWith(26).endsWith(45);
    }

    @Test
    void noEchoAnsweredMeansAllLost() {
        String out = "PING 10.99.0.2 (10.99.0.2) 56(84) bytes of data.\n\n--- 10.99.0.2 ping statistics ---\n"
                + "3 packets transmitted, 0 received, 100% packet loss, time 103ms\n";
        assertThat(PingTranscript.parse(out, 1795957082.130, INTERVAL, TIMEOUT).lost()).containsExactly(1, 2, 3);
    }

    @Test
    void aTranscriptWithoutSummaryIsRefused() {
        assertThatThrownBy(() -> PingTranscript.parse("ping: connect: Network is unreachable", 0, INTERVAL, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
