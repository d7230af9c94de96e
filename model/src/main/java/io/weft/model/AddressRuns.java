package io.weft.model;

import java.util.Map;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * A set of IPv4 addresses kept as maximal runs of consecutive addresses, persistent: adding or removing an address and
 * finding the first address not in the set at or after a given one each cost O(log runs). This is what lets an IP
 * allocator give the lowest free address of a network without walking the addresses below it.
 */
public final class AddressRuns {

    public static final AddressRuns EMPTY = new AddressRuns(TreePMap.empty());

    /** First address of each run to its last (inclusive); runs are disjoint and never adjacent. */
    private final PSortedMap<Long, Long> runs;

    private AddressRuns(PSortedMap<Long, Long> runs) {
        this.runs = runs;
    }

    public boolean contains(Ipv4Address address) {
        long a = address.asLong();
        Map.Entry<Long, Long> run = runs.floorEntry(a);
        return run != null && run.getValue() >= a;
    }

    /** With {@code address}; unchanged if it is in already. */
    public AddressRuns plus(Ipv4Address address) {
        long a = address.asLong();
        Map.Entry<Long, Long> below = runs.floorEntry(a);
        if (below != null && below.getValue() >= a) {
            return this;
        }
        long start = a;
        long end = a;
        PSortedMap<Long, Long> next = runs;
        if (below != null && below.getValue() == a - 1) {
            start = below.getKey();
            next = next.minus(start);
        }
        Long above = runs.get(a + 1);
        if (above != null) {
            end = above;
            next = next.minus(a + 1);
        }
        return new AddressRuns(next.plus(start, end));
    }

    /** Without {@code address}; unchanged if it is not in. */
    public AddressRuns minus(Ipv4Address address) {
        long a = address.asLong();
        Map.Entry<Long, Long> run = runs.floorEntry(a);
        if (run == null || run.getValue() < a) {
            return this;
        }
        long start = run.getKey();
        long end = run.getValue();
        PSortedMap<Long, Long> next = runs.minus(start);
        if (start < a) {
            next = next.plus(start, a - 1);
        }
        if (a < end) {
            next = next.plus(a + 1, end);
        }
        return new AddressRuns(next);
    }

    /** The lowest address at or after {@code from} that is not in the set (it may lie beyond 255.255.255.255). */
    public long firstAbsentFrom(Ipv4Address from) {
        long a = from.asLong();
        Map.Entry<Long, Long> run = runs.floorEntry(a);
        return run != null && run.getValue() >= a ? run.getValue() + 1 : a;
    }

    /** How many runs: a measure of fragmentation. */
    public int runCount() {
        return runs.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRuns other && runs.equals(other.runs);
    }

    @Override
    public int hashCode() {
        return runs.hashCode();
    }

    @Override
    public String toString() {
        return "AddressRuns" + runs;
    }
}
