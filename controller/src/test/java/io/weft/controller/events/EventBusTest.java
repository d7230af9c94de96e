package io.weft.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.controller.events.ControllerEvent.NetworkCreated;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventBusTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
    private static final long FIRST = 1_000;

    private final EventBus bus = new EventBus(CLOCK, FIRST, 10, 20);

    private static ControllerEvent event(int n) {
        return new NetworkCreated(CLOCK.instant(), "n" + n);
    }

    /** Publishes events n0..n(count-1); their ids are FIRST.. FIRST+count-1. */
    private void publish(int from, int count) {
        for (int i = from; i < from + count; i++) {
            bus.publish(event(i));
        }
    }

    private static List<SequencedEvent> drain(EventSubscription s) throws InterruptedException {
        List<SequencedEvent> out = new ArrayList<>();
        for (Optional<SequencedEvent> e = s.poll(Duration.ZERO); e.isPresent(); e = s.poll(Duration.ZERO)) {
            out.add(e.get());
        }
        return out;
    }

    private static List<String> networks(List<SequencedEvent> events) {
        return events.stream().map(e -> ((NetworkCreated) e.event()).network()).toList();
    }

    @Test
    void aNewSubscriberIsToldToResyncAtTheLastIdThenGetsEveryEventInOrder() throws Exception {
        publish(0, 3);
        EventSubscription s = bus.subscribe(OptionalLong.empty());
        publish(3, 5);

        List<SequencedEvent> got = drain(s);
        assertThat(got.get(0).event()).isInstanceOf(ControllerEvent.Resync.class);
        assertThat(got.get(0).id()).as("resumable right after what it re-reads").isEqualTo(FIRST + 2);
        assertThat(networks(got.subList(1, got.size()))).containsExactly("n3", "n4", "n5", "n6", "n7");
        assertThat(got.subList(1, got.size())).extracting(SequencedEvent::id)
                .containsExactly(FIRST + 3, FIRST + 4, FIRST + 5, FIRST + 6, FIRST + 7);
    }

    @Test
    void resumingAfterABufferedIdReplaysWhatCameAfterIt() throws Exception {
        publish(0, 15); // the ring holds the last 10: n5..n14
        EventSubscription s = bus.subscribe(OptionalLong.of(FIRST + 7));
        bus.publish(event(15));

        assertThat(networks(drain(s))).containsExactly("n8", "n9", "n10", "n11", "n12", "n13", "n14", "n15");
    }

    @Test
    void resumingRightBeforeTheOldestBufferedEventStillReplays() throws Exception {
        publish(0, 15);
        assertThat(networks(drain(bus.subscribe(OptionalLong.of(FIRST + 4))))).hasSize(10).startsWith("n5");
    }

    @Test
    void resumingAtTheLastIdGetsNothingAndNoResync() throws Exception {
        publish(0, 3);
        assertThat(drain(bus.subscribe(OptionalLong.of(bus.lastId())))).isEmpty();
    }

    @Test
    void resumingAfterAnIdNoLongerBufferedOrFromAnotherRunIsToldToResync() throws Exception {
        publish(0, 15);
        for (long after : new long[] {FIRST + 3, FIRST - 500, bus.lastId() + 1, 0}) {
            List<SequencedEvent> got = drain(bus.subscribe(OptionalLong.of(after)));
            assertThat(got).as("after %d", after).hasSize(1);
            assertThat(got.get(0).event()).isInstanceOf(ControllerEvent.Resync.class);
            assertThat(got.get(0).id()).isEqualTo(bus.lastId());
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsDroppedWithoutHoldingUpThePublisherOrOthers() throws Exception {
        EventSubscription slow = bus.subscribe(OptionalLong.empty());
        EventSubscription reader = bus.subscribe(OptionalLong.empty());
        List<SequencedEvent> read = new ArrayList<>(drain(reader));

        // The publisher runs on its own thread: were it ever to wait for the slow reader, this would not finish.
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 100; i++) {
                bus.publish(event(i));
                if (i % 5 == 4) {
                    try {
                        read.addAll(drain(reader));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
        publisher.get(30, TimeUnit.SECONDS);

        assertThat(slow.dropped()).isTrue();
        assertThat(slow.poll(Duration.ofSeconds(1))).as("a dropped subscriber gets nothing more").isEmpty();
        assertThat(slow.backlog()).isZero();
        assertThat(reader.dropped()).isFalse();
        assertThat(networks(read.subList(1, read.size()))).hasSize(100).startsWith("n0", "n1").endsWith("n99");
        assertThat(bus.subscribers()).as("the dropped one is let go").isEqualTo(1);
    }

    @Test
    void aClosedSubscriptionWakesItsReaderAndIsLetGo() throws Exception {
        EventSubscription s = bus.subscribe(OptionalLong.of(bus.lastId()));
        CompletableFuture<Optional<SequencedEvent>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return s.poll(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        s.close();

        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(bus.subscribers()).isZero();
        publish(0, 1);
        assertThat(s.poll(Duration.ZERO)).isEmpty();
    }

    @Test
    void idsOfALaterBusStartAboveThoseOfAnEarlierOne() {
        EventBus earlier = EventBus.startingNow(Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC));
        for (int i = 0; i < 5000; i++) {
            earlier.publish(event(i));
        }
        EventBus later = EventBus.startingNow(Clock.fixed(Instant.parse("2026-11-28T10:00:01Z"), ZoneOffset.UTC));
        later.publish(event(0));
        assertThat(later.lastId()).isGreaterThan(earlier.lastId());
        assertThat(later.lastId()).as("exact in a JavaScript number").isLessThan(1L << 53);
    }
}
