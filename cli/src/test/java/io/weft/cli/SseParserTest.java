package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseParserTest {

    /** A stream as the contract shapes it: a keepalive comment, ids, typed events with one-line JSON data. */
    static final String RECORDED = """
            : keepalive

            id: 41
            event: network-created
            data: {"network":"red","at":"2026-11-28T10:00:00Z"}

            id: 42
            event: endpoint-bound
            data: {"network":"red","endpoint":"c1","host":"h1","ip":"10.65.10.2","mac":"02:42:0a:41:0a:02","at":"2026-11-28T10:00:01Z"}

            """;

    static List<SseParser.Event> parse(SseParser parser, String text) {
        List<SseParser.Event> events = new ArrayList<>();
        text.lines().forEach(line -> parser.line(line).ifPresent(events::add));
        return events;
    }

    @Test
    void readsTypedEventsWithTheirIdsAndSkipsComments() {
        SseParser parser = new SseParser(Optional.empty());
        List<SseParser.Event> events = parse(parser, RECORDED);
        assertThat(events).extracting(SseParser.Event::type).containsExactly("network-created", "endpoint-bound");
        assertThat(events.get(0).id()).hasValue("41");
        assertThat(events.get(0).data()).isEqualTo("{\"network\":\"red\",\"at\":\"2026-11-28T10:00:00Z\"}");
        assertThat(parser.lastId()).hasValue("42");
    }

    @Test
    void joinsDataLinesAndDefaultsTheTypeAndKeepsTheIdAcrossEvents() {
        SseParser parser = new SseParser(Optional.of("7"));
        List<SseParser.Event> events = parse(parser, "data:a\ndata: b\nretry: 2500\n\nevent: resync\ndata\n\n");
        assertThat(events).containsExactly(new SseParser.Event(Optional.of("7"), "message", "a\nb"),
                new SseParser.Event(Optional.of("7"), "resync", ""));
        assertThat(parser.retry()).hasValue(Duration.ofMillis(2500));
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndAnUnfinishedOneNever() {
        SseParser parser = new SseParser(Optional.empty());
        assertThat(parse(parser, "id: 3\nevent: x\n\nevent: y\ndata: {}")).isEmpty();
        assertThat(parser.lastId()).as("an id counts even without data").hasValue("3");
    }
}
