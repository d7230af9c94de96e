package io.weft.controller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a start of the controller spends its time, part by part, counted from the moment the process started (the
 * exec of {@code bin/weft}): the JVM's own start until {@code main}, then each part the runtime names. One INFO line
 * tells an operator what a restart costs and where; the restart benchmark reads the same line.
 *
 * <p>The process's age is read from {@code /proc} (its start and the uptime, both counted from boot in 10 ms clock
 * ticks), so the JVM's share is known to 10 ms; without {@code /proc} it is left out and the count starts at
 * {@code main}. Not thread-safe: one starting thread records.
 */
public final class StartupTimeline {

    /** Linux's USER_HZ: the unit of a process's start time in {@code /proc/PID/stat}, 100 on every Linux ABI. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private final long originNanos;
    private final Optional<Duration> beforeMain;
    private final Map<String, Duration> parts = new LinkedHashMap<>();
    private long lastNanos;

    /**
     * @param originNanos {@link System#nanoTime} at the origin
     * @param mainNanos   {@link System#nanoTime} when {@code main} began; the JVM's share is the time before it, when
     *                    the origin is the process's start
     */
    private StartupTimeline(long originNanos, long mainNanos, boolean fromProcessStart) {
        this.originNanos = originNanos;
        this.beforeMain = fromProcessStart ? Optional.of(Duration.ofNanos(mainNanos - originNanos)) : Optional.empty();
        this.lastNanos = mainNanos;
    }

    /** A timeline whose origin is now: for a runtime started inside another program (tests, embedding). */
    public static StartupTimeline startingNow() {
        long now = System.nanoTime();
        return new StartupTimeline(now, now, false);
    }

    /**
     * A timeline whose origin is this process's start, read from {@code /proc} now; {@code main} when that cannot
     * be read.
     *
     * @param mainNanos {@link System#nanoTime} when {@code main} began
     */
    static StartupTimeline sinceProcessStart(long mainNanos) {
        long now = System.nanoTime();
        Optional<Duration> age = processAge(Path.of("/proc/self/stat"), Path.of("/proc/uptime"));
        return age.map(a -> new StartupTimeline(Math.min(mainNanos, now - a.toNanos()), mainNanos, true))
                .orElseGet(() -> new StartupTimeline(mainNanos, mainNanos, false));
    }

    /**
     * How long the process has run: the uptime now less the process's start time since boot.
     *
     * @param stat   {@code /proc/self/stat}; the start time is its 22nd field, after the parenthesised command name
     * @param uptime {@code /proc/uptime}: seconds since boot, then idle seconds
     */
    static Optional<Duration> processAge(Path stat, Path uptime) {
        try {
            String s = Files.readString(stat);
            String[] afterName = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(afterName[19]); // field 22; afterName[0] is field 3
            double up = Double.parseDouble(Files.readString(uptime).trim().split("\\s+")[0]);
            long ageMillis = Math.round(up * 1000) - startTicks * 1000 / CLOCK_TICKS_PER_SECOND;
            return ageMillis >= 0 ? Optional.of(Duration.ofMillis(ageMillis)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Records that {@code part} just ended: it took the time since the previous part ended (or since main). */
    public void done(String part) {
        long now = System.nanoTime();
        parts.merge(part, Duration.ofNanos(now - lastNanos), Duration::plus);
        lastNanos = now;
    }

    /** {@link System#nanoTime} at the origin: the process's start, or main when that is unknown. */
    public long originNanos() {
        return originNanos;
    }

    /** Time since the origin. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - originNanos);
    }

    /**
     * E.g. {@code 812 ms after the process started: JVM start 250 ms, store 180 ms, REST 90 ms}; parts in the order
     * they were recorded.
     */
    public String summary() {
        Map<String, Duration> all = new LinkedHashMap<>();
        beforeMain.ifPresent(d -> all.put("JVM start", d));
        all.putAll(parts);
        return millis(Duration.ofNanos(lastNanos - originNanos)) + " ms after the "
                + (beforeMain.isPresent() ? "process" : "runtime") + " started: "
                + all.entrySet().stream().map(e -> e.getKey() + " " + millis(e.getValue()) + " ms")
                .collect(Collectors.joining(", "));
    }

    private static long millis(Duration d) {
        return Math.round(d.toNanos() / 1e6);
    }
}
