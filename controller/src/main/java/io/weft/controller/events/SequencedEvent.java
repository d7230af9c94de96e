package io.weft.controller.events;

/** An event with its place in the bus's order; a subscriber that saw {@code id} may resume after it. */
public record SequencedEvent(long id, ControllerEvent event) {
}
