package io.weft.controller.store;

/**
 * The store cannot be opened for a reason the operator must resolve (its message says what and how); nothing was
 * written. Thrown instead of a library's exception so that the {@code weft} command can print one clear line.
 */
public class StoreOpenException extends RuntimeException {

    public StoreOpenException(String message) {
        super(message);
    }
}
