package io.weft.southbound;

import java.util.List;

/**
 * A send the switch refused. {@code rejected} names each change the switch answered with an error (and the error);
 * {@code notApplied} lists every change that is not on the switch now (with a bundle: all of them; pipelined: the
 * refused ones, the others are applied).
 */
public final class ApplyException extends RuntimeException {

    public record Rejection(FlowMod change, String error) {
        @Override
        public String toString() {
            return error + " for " + change;
        }
    }

    private final List<Rejection> rejected;
    private final List<FlowMod> notApplied;

    public ApplyException(String summary, List<Rejection> rejected, List<FlowMod> notApplied) {
        super(summary + (rejected.isEmpty() ? "" : ": " + rejected.get(0)
                + (rejected.size() > 1 ? " (and " + (rejected.size() - 1) + " more)" : "")));
        this.rejected = List.copyOf(rejected);
        this.notApplied = List.copyOf(notApplied);
    }

    public List<Rejection> rejected() {
        return rejected;
    }

    public List<FlowMod> notApplied() {
        return notApplied;
    }

    /**
     * Whether the switch refused because this connection is not its master (OFPBRC_IS_SLAVE): another controller
     * took the switch over. Not a reason to try again: only a new role request can change it.
     */
    public boolean notMaster() {
        return rejected.stream().anyMatch(r -> r.error() != null && r.error().endsWith("/" + IS_SLAVE));
    }

    static final String IS_SLAVE = "IS_SLAVE";
}
