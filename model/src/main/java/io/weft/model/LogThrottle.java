package io.weft.model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says whether a warning about {@code key} (a peer and a reason) may be logged now: once per interval per key, so a
 * peer refused every 8 seconds is logged once a minute; the caller says how many were held back in between. Keys
 * not seen for an interval are forgotten, so the map stays as small as the set of active troublemakers.
 *
 * <p>Logback offers only a global {@code DuplicateMessageFilter} (by message pattern and count, not per peer and
 * time), hence this.
 */
public final class LogThrottle {

    private final Duration interval;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(Instant opened, long suppressed) {
    }

    public LogThrottle(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    public static LogThrottle perMinute() {
        return new LogThrottle(Duration.ofMinutes(1), Clock.systemUTC());
    }

    /**
     * Empty when this event must not be logged; else how many events of this key were held back since the last
     * one logged.
     */
    public OptionalLong admit(String key) {
        Instant now = clock.instant();
        long[] heldBack = {-1};
        windows.compute(key, (k, w) -> {
            if (w == null || !now.isBefore(w.opened().plus(interval))) {
                heldBack[0] = w == null ? 0 : w.suppressed();
                return new Window(now, 0);
            }
            return new Window(w.opened(), w.suppressed() + 1);
        });
        if (windows.size() > 1024) {
            windows.values().removeIf(w -> !now.isBefore(w.opened().plus(interval)));
        }
        return heldBack[0] < 0 ? OptionalLong.empty() : OptionalLong.of(heldBack[0]);
    }

    /** " (N more like it in the last minute)" for a non-zero count, else "". */
    public static String heldBackNote(long heldBack, Duration interval) {
        return heldBack == 0 ? "" : " (" + heldBack + " more like it held back over " + interval.toSeconds() + " s)";
    }

    public Duration interval() {
        return interval;
    }
}
