package io.weft.ovsdb;

import static io.weft.ovsdb.OvsdbSnapshot.OPEN_VSWITCH;

import io.weft.ovsdb.Operation.Condition;
import io.weft.ovsdb.Operation.Mutation;
import java.util.List;
import java.util.Map;

/**
 * Fencing a host's OVSDB between controller replicas (OVSDB has no roles): the Open_vSwitch row's
 * {@code external_ids:weft-leader-generation} names the newest leader that wrote there. A leader's first transaction
 * takes it over, only from a smaller value, waiting for the value it read; every later transaction waits for its own
 * value. Once a newer leader has written its generation, an older leader's transactions abort ("timed out") and are
 * planned again against a cache that shows it is fenced ({@link FencedException}). Pure: snapshot in, operations out.
 */
public final class LeaderFence {

    public static final String KEY = "weft-leader-generation";

    private LeaderFence() {
    }

    /** The generation that holds the host (0: none has written). */
    public static long holder(OvsdbSnapshot snapshot) {
        String value = snapshot.openVSwitch().map(r -> r.externalIds().get(KEY)).orElse(null);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0; // not ours to trust: the next leader's take-over replaces it
        }
    }

    /**
     * The operations that go first in a transaction written as leader {@code generation}: a take-over when the host
     * is held by an older generation (or none), else a wait for its own value.
     *
     * @throws FencedException when a newer generation holds the host: nothing may be written
     */
    public static List<Operation> guard(long generation, OvsdbSnapshot snapshot, String host) {
        OvsdbRow ovs = snapshot.openVSwitch().orElseThrow(() -> new IllegalStateException(
                "the database has no Open_vSwitch row yet (run 'ovs-vsctl init')"));
        long holder = holder(snapshot);
        if (holder > generation) {
            throw new FencedException(host, generation, holder);
        }
        List<Condition> row = List.of(Condition.uuidIs(ovs.uuid()));
        // The whole map as read: a change of the value (or of any other key, rarely) aborts, and the plan is redone.
        Operation unchanged = new Operation.Wait(OPEN_VSWITCH, row, List.of("external_ids"), "==",
                List.of(Map.of("external_ids", OvsdbCodec.stringMap(ovs.externalIds()))), 0);
        if (holder == generation) {
            return List.of(unchanged);
        }
        return List.of(unchanged, new Operation.Mutate(OPEN_VSWITCH, row, List.of(
                new Mutation("external_ids", "delete", OvsdbCodec.stringSet(List.of(KEY))),
                new Mutation("external_ids", "insert", OvsdbCodec.stringMap(Map.of(KEY,
                        Long.toString(generation)))))));
    }
}
