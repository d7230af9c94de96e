package io.weft.southbound;

import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Flows by their {@link FlowKey}, holding only the rules: an open-addressing table (linear probing) of the rules
 * themselves, each found by its own table, priority and match. A controller holds every switch's desired table, tens
 * of thousands of entries each; a {@link java.util.HashMap} adds a 32-byte node and a key object per entry, this one
 * 4-byte slot, the table kept between an eighth and three quarters full. No library on the class path has a mutable
 * map without per-entry nodes.
 *
 * <p>{@link #put} requires {@code key} to be the rule's own key. Iterators do not support removal and are not
 * fail-fast: do not change the map while iterating it. Not thread-safe.
 */
final class FlowsByKey extends AbstractMap<FlowKey, FlowRule> {

    private static final int MIN_CAPACITY = 16;

    /** A power of two in length, at most three quarters full; null where empty. */
    private FlowRule[] slots = new FlowRule[MIN_CAPACITY];
    private int size;

    @Override
    public int size() {
        return size;
    }

    @Override
    public FlowRule get(Object key) {
        if (!(key instanceof FlowKey k)) {
            return null;
        }
        int i = find(k);
        return i < 0 ? null : slots[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /** The rule held under {@code rule}'s key, or null. */
    FlowRule sameKey(FlowRule rule) {
        int mask = slots.length - 1;
        for (int i = spread(rule.keyHash()) & mask; ; i = (i + 1) & mask) {
            FlowRule r = slots[i];
            if (r == null || r.sameKey(rule)) {
                return r;
            }
        }
    }

    @Override
    public FlowRule put(FlowKey key, FlowRule rule) {
        if (!rule.hasKey(key)) {
            throw new IllegalArgumentException("flow " + rule + " is not under key " + key);
        }
        return put(rule);
    }

    /** Holds {@code rule} under its key; returns the rule it replaces, or null. */
    FlowRule put(FlowRule rule) {
        int mask = slots.length - 1;
        int i = spread(rule.keyHash()) & mask;
        for (; slots[i] != null; i = (i + 1) & mask) {
            if (slots[i].sameKey(rule)) {
                FlowRule old = slots[i];
                slots[i] = rule;
                return old;
            }
        }
        slots[i] = rule;
        if (++size > slots.length / 4 * 3) {
            resize(slots.length * 2);
        }
        return null;
    }

    @Override
    public FlowRule remove(Object key) {
        if (!(key instanceof FlowKey k)) {
            return null;
        }
        int i = find(k);
        if (i < 0) {
            return null;
        }
        FlowRule old = slots[i];
        deleteSlot(i);
        size--;
        if (slots.length > MIN_CAPACITY && size < slots.length / 8) {
            resize(slots.length / 2);
        }
        return old;
    }

    @Override
    public void clear() {
        slots = new FlowRule[MIN_CAPACITY];
        size = 0;
    }

    @Override
    public void forEach(BiConsumer<? super FlowKey, ? super FlowRule> action) {
        for (FlowRule r : slots) {
            if (r != null) {
                action.accept(r.key(), r);
            }
        }
    }

    @Override
    public Collection<FlowRule> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<FlowRule> iterator() {
                return new Rules();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @Override
    public Set<Entry<FlowKey, FlowRule>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<FlowKey, FlowRule>> iterator() {
                Rules rules = new Rules();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return rules.hasNext();
                    }

                    @Override
                    public Entry<FlowKey, FlowRule> next() {
                        FlowRule r = rules.next();
                        return Map.entry(r.key(), r);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** The slot holding {@code key}'s rule, or -1. */
    private int find(FlowKey key) {
        int mask = slots.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            FlowRule r = slots[i];
            if (r == null) {
                return -1;
            }
            if (r.hasKey(key)) {
                return i;
            }
        }
    }

    /** Empties slot {@code i}, moving back later rules of its run that could not be found past the gap. */
    private void deleteSlot(int i) {
        int mask = slots.length - 1;
        int gap = i;
        for (int j = (gap + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = spread(slots[j].keyHash()) & mask;
            // Move slots[j] into the gap unless its home lies cyclically in (gap, j].
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                slots[gap] = slots[j];
                gap = j;
            }
        }
        slots[gap] = null;
    }

    private void resize(int capacity) {
        FlowRule[] old = slots;
        slots = new FlowRule[capacity];
        int mask = capacity - 1;
        for (FlowRule r : old) {
            if (r != null) {
                int i = spread(r.keyHash()) & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = r;
            }
        }
    }

    /** Fibonacci hashing: the keys' hashes differ mostly in their low bits, linear probing wants them spread. */
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private final class Rules implements Iterator<FlowRule> {
        private int next = advance(0);

        private int advance(int from) {
            int i = from;
            while (i < slots.length && slots[i] == null) {
                i++;
            }
            return i;
        }

        @Override
        public boolean hasNext() {
            return next < slots.length;
        }

        @Override
        public FlowRule next() {
            if (next >= slots.length) {
                throw new NoSuchElementException();
            }
            FlowRule r = slots[next];
            next = advance(next + 1);
            return r;
        }
    }
}
