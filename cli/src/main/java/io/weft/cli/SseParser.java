package io.weft.cli;

import java.time.Duration;
import java.util.Optional;

/**
 * Reads Server-Sent Events line by line as the HTML standard says: {@code field: value} lines, {@code :} comments
 * (keepalives), and a blank line that ends an event; its {@code data} lines joined with newlines. The last
 * {@code id} seen is kept across events, to resume a lost stream from it ({@code Last-Event-ID}).
 */
final class SseParser {

    /** @param type {@code message} when the event names none */
    record Event(Optional<String> id, String type, String data) {
    }

    private Optional<String> lastId;
    private Optional<Duration> retry = Optional.empty();
    private String type = "";
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** @param lastId what the stream resumes from, if anything */
    SseParser(Optional<String> lastId) {
        this.lastId = lastId;
    }

    /** @return the event this line completes, if it is the blank line after one */
    Optional<Event> line(String line) {
        if (line.isEmpty()) {
            Optional<Event> event = hasData
                    ? Optional.of(new Event(lastId, type.isEmpty() ? "message" : type, data.toString()))
                    : Optional.empty();
            type = "";
            data.setLength(0);
            hasData = false;
            return event;
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value.isEmpty() ? Optional.empty() : Optional.of(value);
                }
            }
            case "retry" -> {
                if (value.matches("\\d{1,9}")) {
                    retry = Optional.of(Duration.ofMillis(Long.parseLong(value)));
                }
            }
            default -> {
                // the standard says to ignore other fields
            }
        }
        return Optional.empty();
    }

    Optional<String> lastId() {
        return lastId;
    }

    /** How long to wait before reconnecting, when the server said. */
    Optional<Duration> retry() {
        return retry;
    }
}
