package io.weft.southbound;

import com.carrotsearch.hppc.BitMixer;
import com.carrotsearch.hppc.ObjectHashSet;
import com.carrotsearch.hppc.cursors.ObjectCursor;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Flows by their {@link FlowKey}, holding only the rules: HPPC's open-addressing set of the rules themselves, each
 * found by its own table, priority and match. A controller holds every switch's desired table, tens of thousands of
 * entries each; a {@link java.util.HashMap} adds a 32-byte node and a key object per entry, this one a slot.
 *
 * <p>{@link #put} requires {@code key} to be the rule's own key. Iterators do not support removal: do not change the
 * map while iterating it. Not thread-safe.
 */
final class FlowsByKey extends AbstractMap<FlowKey, FlowRule> {

    private final Rules rules = new Rules();

    @Override
    public int size() {
        return rules.size();
    }

    @Override
    public FlowRule get(Object key) {
        return key instanceof FlowKey ? at(rules.indexOf(key)) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /** The rule held under {@code rule}'s key, or null. */
    FlowRule sameKey(FlowRule rule) {
        return at(rules.indexOf(rule));
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
        int i = rules.indexOf(rule);
        if (rules.indexExists(i)) {
            return (FlowRule) rules.indexReplace(i, rule);
        }
        rules.indexInsert(i, rule);
        return null;
    }

    @Override
    public FlowRule remove(Object key) {
        if (!(key instanceof FlowKey)) {
            return null;
        }
        int i = rules.indexOf(key);
        FlowRule old = at(i);
        if (old != null) {
            rules.indexRemove(i);
        }
        return old;
    }

    /** Removes the rule held under {@code rule}'s key if it equals {@code rule}; returns it, or null (kept). */
    FlowRule removeEqual(FlowRule rule) {
        int i = rules.indexOf(rule);
        FlowRule held = at(i);
        if (held == null || held != rule && !held.equals(rule)) {
            return null;
        }
        rules.indexRemove(i);
        return held;
    }

    @Override
    public void clear() {
        rules.release();
    }

    @Override
    public void forEach(BiConsumer<? super FlowKey, ? super FlowRule> action) {
        for (ObjectCursor<Object> c : rules) {
            FlowRule r = (FlowRule) c.value;
            action.accept(r.key(), r);
        }
    }

    @Override
    public Collection<FlowRule> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<FlowRule> iterator() {
                Iterator<ObjectCursor<Object>> cursors = rules.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return cursors.hasNext();
                    }

                    @Override
                    public FlowRule next() {
                        return (FlowRule) cursors.next().value;
                    }
                };
            }

            @Override
            public int size() {
                return rules.size();
            }
        };
    }

    @Override
    public Set<Entry<FlowKey, FlowRule>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<FlowKey, FlowRule>> iterator() {
                Iterator<FlowRule> values = values().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return values.hasNext();
                    }

                    @Override
                    public Entry<FlowKey, FlowRule> next() {
                        FlowRule r = values.next();
                        return Map.entry(r.key(), r);
                    }
                };
            }

            @Override
            public int size() {
                return rules.size();
            }
        };
    }

    private FlowRule at(int index) {
        return rules.indexExists(index) ? (FlowRule) rules.indexGet(index) : null;
    }

    /**
     * The rules, found by a rule or by a {@link FlowKey}: both hash and compare by table, priority and match (a rule
     * makes no key object to be looked up).
     */
    private static final class Rules extends ObjectHashSet<Object> {

        @Override
        protected int hashKey(Object k) {
            return BitMixer.mixPhi(k instanceof FlowRule r ? r.keyHash() : k.hashCode());
        }

        @Override
        protected boolean equals(Object a, Object b) {
            if (a instanceof FlowRule ra) {
                return b instanceof FlowRule rb ? ra.sameKey(rb) : ra.hasKey((FlowKey) b);
            }
            return b instanceof FlowRule rb ? rb.hasKey((FlowKey) a) : a.equals(b);
        }
    }
}
