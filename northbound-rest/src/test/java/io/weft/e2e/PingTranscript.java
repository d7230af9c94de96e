package io.weft.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an iputils {@code ping -D -i INTERVAL -W TIMEOUT} stopped by SIGINT printed, judged as a user judges pings:
 * an echo is lost when no reply came within ping's own timeout while ping ran. ping's summary line counts every
 * echo not yet answered when SIGINT came as lost, also the one sent a moment before, whose reply was on its way:
 * under load (replies in milliseconds through userspace OVS) that alone made a run report 1 lost echo in hundreds.
 * Here an echo counts as still in flight only if it came after the last answered one and was sent less than
 * TIMEOUT before the stop; its send time is bounded from below by the last answered echo's send time plus one
 * interval per sequence number (ping never sends faster than its interval), so an echo that may have been sent
 * earlier is counted lost: this can report a loss that was not, never hide one.
 */
record PingTranscript(int transmitted, TreeMap<Integer, Double> sentAtOfAnswered, List<Integer> lost,
        List<Integer> inFlightAtStop, String pingsOwnSummary) {

    private static final Pattern REPLY = Pattern.compile(
            "^\\[(\\d+\\.\\d+)] \\d+ bytes from .*icmp_seq=(\\d+) .*time=([\\d.]+) ms");
    private static final Pattern TRANSMITTED = Pattern.compile("(\\d+) packets transmitted");

    /** {@code stoppedAt}: when SIGINT was sent, in seconds since the epoch (ping's {@code -D} clock). */
    static PingTranscript parse(String stdout, double stoppedAt, Duration interval, Duration timeout) {
        TreeMap<Integer, Double> sentAt = new TreeMap<>();
        int transmitted = -1;
        StringBuilder own = new StringBuilder();
        for (String line : stdout.split("\n")) {
            Matcher reply = REPLY.matcher(line);
            if (reply.find()) {
                double receivedAt = Double.parseDouble(reply.group(1));
                sentAt.put(Integer.parseInt(reply.group(2)), receivedAt - Double.parseDouble(reply.group(3)) / 1000);
            }
            Matcher summary = TRANSMITTED.matcher(line);
            if (summary.find()) {
                transmitted = Integer.parseInt(summary.group(1));
                own.append(line.strip());
            } else if (line.startsWith("rtt ")) {
                own.append("; ").append(line.strip());
            }
        }
        if (transmitted < 0) {
            throw new IllegalArgumentException("no ping summary in: " + stdout);
        }
        double step = interval.toNanos() / 1e9;
        double wait = timeout.toNanos() / 1e9;
        List<Integer> lost = new ArrayList<>();
        List<Integer> inFlight = new ArrayList<>();
        for (int seq = 1; seq <= transmitted; seq++) {
            if (sentAt.containsKey(seq)) {
                continue;
            }
            var before = sentAt.floorEntry(seq);
            boolean afterLastAnswer = before != null && before.getKey() == sentAt.lastKey();
            if (afterLastAnswer && before.getValue() + (seq - before.getKey()) * step > stoppedAt - wait) {
                inFlight.add(seq);
            } else {
                lost.add(seq);
            }
        }
        return new PingTranscript(transmitted, sentAt, List.copyOf(lost), List.copyOf(inFlight), own.toString());
    }

    int answered() {
        return sentAtOfAnswered.size();
    }

    String summary() {
        return transmitted + " echoes sent, " + answered() + " answered, lost " + lost + ", in flight when stopped "
                + inFlightAtStop + " (ping: " + pingsOwnSummary + ")";
    }
}
