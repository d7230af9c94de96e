package io.weft.controller.events;

/** Where facts are published. Never blocks: a caller on the reconciler's thread is never held up by a reader. */
@FunctionalInterface
public interface EventPublisher {

    EventPublisher NONE = event -> { };

    void publish(ControllerEvent event);
}
