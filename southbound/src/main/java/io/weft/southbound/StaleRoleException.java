package io.weft.southbound;

/**
 * The switch refused a role request (OFPRRFC_STALE): it has seen a larger generation id, so another controller
 * has been master since the one that asked. The asker is not master and must not act as one.
 */
public final class StaleRoleException extends RuntimeException {

    public StaleRoleException(String message) {
        super(message);
    }
}
