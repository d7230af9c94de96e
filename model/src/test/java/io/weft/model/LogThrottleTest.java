package io.weft.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private Instant now = Instant.parse("2026-11-29T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aPeerRefusedEveryEightSecondsIsLoggedOncePerMinute() {
        LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1), clock);
        int logged = 0;
        long heldBack = 0;
        for (int i = 0; i < 30; i++) { // 4 minutes
            OptionalLong r = throttle.admit("10.0.0.9 not allowed");
            if (r.isPresent()) {
                logged++;
                heldBack += r.getAsLong();
            }
            now = now.plusSeconds(8);
        }
        assertThat(logged).isEqualTo(4);
        assertThat(heldBack).as("each later line counts the 7 held back since the one before").isEqualTo(21);
    }

    @Test
    void keysAreIndependent() {
        LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1), clock);
        assertThat(throttle.admit("a")).hasValue(0);
        assertThat(throttle.admit("b")).hasValue(0);
        assertThat(throttle.admit("a")).isEmpty();
        now = now.plusSeconds(60);
        assertThat(throttle.admit("a")).hasValue(1);
    }
}
