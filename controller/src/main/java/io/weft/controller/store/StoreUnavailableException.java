package io.weft.controller.store;

/**
 * The store cannot take a write now (an etcd cluster without quorum, a write that etcd did not confirm in time);
 * the message says why. Reads keep being served from the last state seen. The REST API answers 503.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
