package io.weft.controller.reconcile;

/**
 * What this replica may do to the switches right now, and as which leader generation.
 *
 * @param kind       {@link Kind#SOLE}: the only replica (no cluster; EQUAL role, no fences, as Weft always ran);
 *                   {@link Kind#LEADER}: it programs every switch and host as {@code generation};
 *                   {@link Kind#FOLLOWER}: it reads and computes, and writes nothing
 * @param generation the leader's generation (its election's revision: a later leader's is larger); for a follower
 *                   the latest leader generation it knows of (0: none), which its SLAVE role requests carry
 */
public record Mandate(Kind kind, long generation) {

    public enum Kind { SOLE, LEADER, FOLLOWER }

    public static final Mandate SOLE = new Mandate(Kind.SOLE, 0);

    public Mandate {
        if (kind == Kind.LEADER && generation <= 0) {
            throw new IllegalArgumentException("a leader's generation is positive, not " + generation);
        }
    }

    public static Mandate leader(long generation) {
        return new Mandate(Kind.LEADER, generation);
    }

    public static Mandate follower(long leaderGeneration) {
        return new Mandate(Kind.FOLLOWER, leaderGeneration);
    }

    /** Whether it sends flow-mods, OVSDB transactions and packet-outs. */
    public boolean writes() {
        return kind != Kind.FOLLOWER;
    }
}
