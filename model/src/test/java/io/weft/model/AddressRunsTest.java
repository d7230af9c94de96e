package io.weft.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Runs of addresses answer as a plain set does, whatever the order of additions and removals. */
class AddressRunsTest {

    private static final long BASE = Ipv4Address.parse("10.0.0.0").asLong();

    /** Positive: add BASE+n, negative: remove BASE-n-1 (a small range, so runs merge and split often). */
    @Provide
    Arbitrary<List<Integer>> steps() {
        return Arbitraries.integers().between(-24, 23).list().ofMaxSize(60);
    }

    @Property
    void runsAnswerAsASetDoes(@ForAll("steps") List<Integer> steps) {
        AddressRuns runs = AddressRuns.EMPTY;
        TreeSet<Long> set = new TreeSet<>();
        for (int step : steps) {
            long a = step >= 0 ? BASE + step : BASE - step - 1;
            if (step >= 0) {
                runs = runs.plus(Ipv4Address.of((int) a));
                set.add(a);
            } else {
                runs = runs.minus(Ipv4Address.of((int) a));
                set.remove(a);
            }
        }
        for (long a = BASE - 1; a <= BASE + 25; a++) {
            Ipv4Address address = Ipv4Address.of((int) a);
            assertThat(runs.contains(address)).as("%s", address).isEqualTo(set.contains(a));
            long free = a;
            while (set.contains(free)) {
                free++;
            }
            assertThat(runs.firstAbsentFrom(address)).as("first free from %s", address).isEqualTo(free);
        }
        long gaps = set.stream().filter(a -> !set.contains(a - 1)).count();
        assertThat(runs.runCount()).as("runs are maximal").isEqualTo(gaps);
        assertThat(runs).isEqualTo(set.stream().map(a -> Ipv4Address.of(a.intValue()))
                .reduce(AddressRuns.EMPTY, AddressRuns::plus, (x, y) -> x));
    }

    @Property(tries = 1)
    void theTopOfTheAddressSpaceDoesNotWrap() {
        Ipv4Address top = Ipv4Address.parse("255.255.255.255");
        AddressRuns runs = AddressRuns.EMPTY.plus(top);
        assertThat(runs.firstAbsentFrom(top)).isEqualTo(top.asLong() + 1);
        assertThat(runs.minus(top)).isEqualTo(AddressRuns.EMPTY);
    }
}
