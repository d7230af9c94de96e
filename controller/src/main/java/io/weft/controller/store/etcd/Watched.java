package io.weft.controller.store.etcd;

import io.weft.controller.store.Mutation;
import io.weft.controller.store.StateDiff;
import io.weft.controller.store.StoreChange;
import io.weft.controller.store.StoreState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The intent as the etcd store has seen it: the state, and the guard key's mod_revision that the next commit
 * compares against. The two are equal unless someone wrote intent keys without the guard. Pure: each method returns
 * what changed.
 *
 * @param state         the intent; its revision is the etcd revision of the last change to it
 * @param guardRevision the mod_revision of {@code PREFIX/intent/guard} (0 while it does not exist)
 */
record Watched(StoreState state, long guardRevision) {

    static final Watched EMPTY = new Watched(StoreState.EMPTY, 0);

    /** A state and the commits that led to it from the one before. */
    record Step(Watched after, List<StoreChange> changes) {
    }

    /** The intent a full read of the prefix holds (every key as a put); its revision is the newest key's. */
    static Watched read(List<KeyChange> keys, EtcdLayout layout) {
        List<KeyChange> byRevision = new ArrayList<>(keys);
        byRevision.sort(Comparator.comparingLong(KeyChange::revision));
        return EMPTY.advance(byRevision, layout).after();
    }

    /**
     * After a resynchronising read ({@code fresh}, read at {@code readRevision}): the state it holds, told as one
     * change from this one (empty when nothing changed). The change's revision is the newest key's, or the read's
     * when only deletions happened since (they leave no key behind to date them).
     */
    Step resync(Watched fresh, long readRevision) {
        List<Mutation> diff = StateDiff.between(state, fresh.state());
        long revision = fresh.state().revision();
        if (revision <= state.revision()) {
            if (diff.isEmpty()) {
                return new Step(new Watched(state, fresh.guardRevision()), List.of());
            }
            revision = Math.max(readRevision, state.revision() + 1);
        }
        StoreState next = state.apply(diff, revision);
        return new Step(new Watched(next, fresh.guardRevision()), List.of(new StoreChange(state, next, diff)));
    }

    /**
     * Applies keys as etcd reported them, in revision order: one {@link StoreChange} per revision (the keys of one
     * transaction), at that revision.
     *
     * @throws DamagedEtcdKeyException if a key cannot be read; nothing is applied
     */
    Step advance(List<KeyChange> keys, EtcdLayout layout) {
        List<StoreChange> changes = new ArrayList<>();
        StoreState state = this.state;
        long guard = guardRevision;
        int i = 0;
        while (i < keys.size()) {
            long revision = keys.get(i).revision();
            if (revision <= state.revision()) {
                i++; // seen already (a watch that resumed from an older revision): applying twice is wrong
                continue;
            }
            List<Mutation> mutations = new ArrayList<>();
            for (; i < keys.size() && keys.get(i).revision() == revision; i++) {
                KeyChange k = keys.get(i);
                if (k.key().equals(layout.guardKey())) {
                    guard = k.value().isPresent() ? revision : 0; // a commit compares with 0 while it is missing
                } else {
                    layout.mutation(k.key(), k.value()).ifPresent(mutations::add);
                }
            }
            StoreState next = state.apply(mutations, revision);
            changes.add(new StoreChange(state, next, mutations));
            state = next;
        }
        return new Step(new Watched(state, guard), List.copyOf(changes));
    }
}
