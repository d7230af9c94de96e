package io.weft.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTimelineTest {

    @TempDir
    Path dir;

    @Test
    void theProcessAgeIsTheUptimeLessTheStartTimeInClockTicks() throws Exception {
        // A command name with spaces and a parenthesis: the fields are counted after its last ')'.
        Path stat = Files.writeString(dir.resolve("stat"), "4242 (java (weft) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
                + "12 3 0 0 20 0 30 0 1234500 5000000 3000 18446744073709551615");
        Path uptime = Files.writeString(dir.resolve("uptime"), "12347.25 24000.10\n");

        assertThat(StartupTimeline.processAge(stat, uptime)).contains(Duration.ofMillis(2250));
    }

    @Test
    void withoutProcTheAgeIsUnknown() {
        assertThat(StartupTimeline.processAge(dir.resolve("no-stat"), dir.resolve("no-uptime"))).isEmpty();
    }

    @Test
    void theSummaryNamesEachPartInOrderWithItsDuration() {
        StartupTimeline t = StartupTimeline.startingNow();
        t.done("store");
        t.done("rest");
        t.done("store");

        String summary = t.summary();
        assertThat(summary).matches("\\d+ ms after the runtime started: store \\d+ ms, rest \\d+ ms")
                .doesNotContain("JVM start");
        assertThat(t.elapsed()).isPositive();
    }
}
