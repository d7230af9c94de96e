package io.weft.model.flow;

import java.util.List;

/**
 * An OpenFlow 1.3 fast-failover group (OFPGT_FF): the switch applies the first bucket whose watch port is live, so
 * traffic moves to a precomputed backup the moment a port goes down, before any controller hears of it. A packet is
 * dropped only when no bucket's port is live.
 *
 * @param buckets in order of preference, at least one
 */
public record FailoverGroup(long id, List<Bucket> buckets) {

    /** OFPG_MAX: group ids above are reserved (ALL, ANY). */
    public static final long MAX_ID = 0xffff_ff00L;

    /** Used while {@code watchPort} is live: {@code actions}. */
    public record Bucket(long watchPort, List<Action> actions) {
        public Bucket {
            if (watchPort <= 0 || watchPort > 0xffff_ff00L) {
                throw new IllegalArgumentException("watch port " + watchPort + " is not a physical port");
            }
            actions = List.copyOf(actions);
            for (Action a : actions) {
                if (a instanceof Action.Group) {
                    throw new IllegalArgumentException("a fast-failover bucket chaining group " + a + " is not used");
                }
            }
        }

        /** The usual bucket: out of the port it watches. */
        public static Bucket outOf(long port) {
            return new Bucket(port, List.of(Action.output(port)));
        }
    }

    public FailoverGroup {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException("group id " + id + " is outside 0..0xffffff00");
        }
        buckets = List.copyOf(buckets);
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("group " + id + " has no bucket");
        }
    }

    /** The bucket used when only the ports in {@code live} are up; empty when none is (the packet is dropped). */
    public java.util.Optional<Bucket> live(java.util.function.LongPredicate live) {
        return buckets.stream().filter(b -> live.test(b.watchPort())).findFirst();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("group_id=").append(id).append(",type=ff");
        for (Bucket k : buckets) {
            b.append(",bucket=watch_port:").append(k.watchPort()).append(",actions=");
            b.append(OfctlFormat.actions(k.actions()));
        }
        return b.toString();
    }
}
