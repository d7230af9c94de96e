package io.weft.model;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * The keys that differ between two maps sorted the same way, found in one merge of their entries. Values are
 * compared by identity first: between revisions of an intent, unchanged entries are the same instances.
 *
 * @param removed keys only in {@code before}
 * @param added   keys only in {@code after}
 * @param changed keys in both with unequal values
 */
public record SortedMapDiff<K>(Set<K> removed, Set<K> added, Set<K> changed) {

    public static <K extends Comparable<? super K>, V> SortedMapDiff<K> of(SortedMap<K, V> before,
                                                                         SortedMap<K, V> after) {
        Set<K> removed = new LinkedHashSet<>();
        Set<K> added = new LinkedHashSet<>();
        Set<K> changed = new LinkedHashSet<>();
        Iterator<Map.Entry<K, V>> bi = before.entrySet().iterator();
        Iterator<Map.Entry<K, V>> ai = after.entrySet().iterator();
        Map.Entry<K, V> b = bi.hasNext() ? bi.next() : null;
        Map.Entry<K, V> a = ai.hasNext() ? ai.next() : null;
        while (b != null || a != null) {
            int c = b == null ? 1 : a == null ? -1 : b.getKey().compareTo(a.getKey());
            if (c < 0) {
                removed.add(b.getKey());
                b = bi.hasNext() ? bi.next() : null;
            } else if (c > 0) {
                added.add(a.getKey());
                a = ai.hasNext() ? ai.next() : null;
            } else {
                if (b.getValue() != a.getValue() && !b.getValue().equals(a.getValue())) {
                    changed.add(a.getKey());
                }
                b = bi.hasNext() ? bi.next() : null;
                a = ai.hasNext() ? ai.next() : null;
            }
        }
        return new SortedMapDiff<>(removed, added, changed);
    }

    /** Every key that differs. */
    public Set<K> all() {
        Set<K> all = new LinkedHashSet<>(removed);
        all.addAll(added);
        all.addAll(changed);
        return all;
    }
}
