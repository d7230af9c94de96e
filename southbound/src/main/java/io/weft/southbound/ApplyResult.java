package io.weft.southbound;

import java.time.Duration;

/** What one {@link SwitchHandle#send} changed on the switch, acknowledged (bundle commit or barrier reply). */
public record ApplyResult(int added, int modified, int deleted, Duration duration) {

    public static final ApplyResult NONE = new ApplyResult(0, 0, 0, Duration.ZERO);

    public boolean unchanged() {
        return added == 0 && modified == 0 && deleted == 0;
    }
}
