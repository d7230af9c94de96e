package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FirstSyncTest {

    private static final long MS = 1_000_000;

    @Test
    void eachMarkIsKeptTheFirstTimeAndTheSummarySaysWhereTheTimeWent() {
        FirstSync s = new FirstSync(1_000 * MS);
        s.switchConnected(1_380 * MS);
        s.readSent(1_390 * MS);
        s.ovsdbRead(1_402 * MS);
        s.ovsdbRead(1_900 * MS); // later cache changes are not the first read
        s.compiled(1_610 * MS, 25_110);
        s.readDone(1_870 * MS, 25_110);

        assertThat(s.isInSync()).isFalse();
        assertThat(s.inSyncMillis()).isEqualTo(-1);
        assertThat(s.inSync(1_912 * MS, 0)).isTrue();
        assertThat(s.inSync(2_500 * MS, 7)).as("only the first time counts").isFalse();
        assertThat(s.inSyncMillis()).isEqualTo(912);
        assertThat(s.summary()).isEqualTo("in sync 912 ms after start: OVSDB read at 402 ms, OpenFlow connected at "
                + "380 ms, compiled at 610 ms (25110 flows), table read 390-870 ms (25110 flows), 0 flow-mods");
    }

    @Test
    void marksNeverReachedAreShownAsUnknown() {
        FirstSync s = new FirstSync(0);
        s.inSync(5 * MS, 3);
        assertThat(s.summary()).contains("OVSDB read at ? ms").contains("table read ?-? ms").endsWith("3 flow-mods");
    }
}
