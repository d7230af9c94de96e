package io.weft.controller.reconcile;

/**
 * Whether this replica may program the switches. The reconciler asks before every step's sends, so a lease that ran
 * out stops its writes at once, whether or not anything said so; whoever holds the leadership wakes the reconciler
 * ({@link Reconciler#leadershipChanged}) when the answer changes.
 */
public interface Leadership {

    /** One replica, no cluster: it always writes. */
    Leadership SOLE = new Leadership() {
        @Override
        public Mandate mandate() {
            return Mandate.SOLE;
        }

        @Override
        public void superseded(String why) {
        }
    };

    /** The mandate as of now. */
    Mandate mandate();

    /**
     * A switch or host has seen a newer leader generation than this replica's (a stale role request, a refused
     * flow-mod, a fenced OVSDB): this replica is not the leader, whatever its lease said, and steps down at once.
     */
    void superseded(String why);
}
