package io.weft.southbound;

import java.time.Duration;

/** What one {@link FlowProgrammer#apply} changed on the switch, acknowledged (bundle commit or barrier reply). */
public record ApplyResult(int added, int modified, int deleted, int groupChanges, Duration duration,
        long flowModsSent) {

    public boolean unchanged() {
        return added == 0 && modified == 0 && deleted == 0 && groupChanges == 0;
    }
}
