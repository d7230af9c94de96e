package io.weft.controller.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The controller's facts in one order, for whoever follows them. Publishing hands each event to every subscriber's
 * bounded queue without waiting: a subscriber whose queue is full is dropped (it reconnects and resumes from the
 * ring, or re-reads the state), so a slow reader never slows the publisher. The last {@code ringCapacity} events are
 * kept so that a subscriber that lost its connection resumes after the last id it saw.
 *
 * <p>Ids start at the time the bus was made, in microseconds: ids of an earlier run of the controller are lower than
 * any of this one, so a subscriber that resumes across a restart is told to re-read rather than handed wrong events.
 */
public final class EventBus implements EventPublisher {

    public static final int RING_CAPACITY = 1000;
    /** Room for a whole replay and as many events again before a subscriber counts as too slow. */
    public static final int QUEUE_CAPACITY = 2 * RING_CAPACITY;

    private final Clock clock;
    private final int ringCapacity;
    private final int queueCapacity;
    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<SequencedEvent> ring;
    private final List<EventSubscription> subscribers = new ArrayList<>();
    private long last;

    public EventBus(Clock clock, long firstId, int ringCapacity, int queueCapacity) {
        if (ringCapacity < 1 || queueCapacity <= ringCapacity) {
            throw new IllegalArgumentException("a subscriber's queue must hold a whole replay of the ring and more");
        }
        this.clock = clock;
        this.ringCapacity = ringCapacity;
        this.queueCapacity = queueCapacity;
        this.ring = new ArrayDeque<>(ringCapacity);
        this.last = firstId - 1;
    }

    /** A bus whose ids start at the current time in microseconds. */
    public static EventBus startingNow(Clock clock) {
        return new EventBus(clock, clock.millis() * 1000, RING_CAPACITY, QUEUE_CAPACITY);
    }

    @Override
    public void publish(ControllerEvent event) {
        synchronized (lock) {
            SequencedEvent e = new SequencedEvent(++last, event);
            if (ring.size() == ringCapacity) {
                ring.removeFirst();
            }
            ring.addLast(e);
            subscribers.removeIf(s -> !s.offer(e));
        }
    }

    /**
     * Follows the events from now on. With {@code after}, the id of the last event the caller saw, the buffered
     * events after it come first; if some of those are no longer buffered (or {@code after} is not an id of this
     * bus), or without {@code after}, a {@link ControllerEvent.Resync} comes first instead, with the id of the last
     * event published: the caller re-reads the state, and is up to date from there.
     */
    public EventSubscription subscribe(OptionalLong after) {
        synchronized (lock) {
            EventSubscription s = new EventSubscription(this, queueCapacity);
            long firstBuffered = ring.isEmpty() ? last + 1 : ring.getFirst().id();
            if (after.isPresent() && after.getAsLong() >= firstBuffered - 1 && after.getAsLong() <= last) {
                ring.stream().filter(e -> e.id() > after.getAsLong()).forEach(s::offer);
            } else {
                s.offer(new SequencedEvent(last, new ControllerEvent.Resync(clock.instant())));
            }
            subscribers.add(s);
            return s;
        }
    }

    /** The id of the last event published (one less than the first id while none was). */
    public long lastId() {
        synchronized (lock) {
            return last;
        }
    }

    void unsubscribe(EventSubscription s) {
        synchronized (lock) {
            subscribers.remove(s);
        }
    }

    int subscribers() {
        synchronized (lock) {
            return subscribers.size();
        }
    }
}
