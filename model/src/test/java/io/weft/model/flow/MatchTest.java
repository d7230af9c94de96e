package io.weft.model.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A {@link Match} holds its fields packed: what goes in comes out, and equality is the fields' equality. */
class MatchTest {

    /** Fields without prerequisites, each exact or masked, in a random order. */
    private static List<FieldMatch> randomFields(long seed) {
        Random r = new Random(seed);
        List<FieldMatch> out = new ArrayList<>();
        for (Field f : List.of(Field.IN_PORT, Field.METADATA, Field.TUNNEL_ID, Field.ETH_DST, Field.ETH_SRC,
                Field.ETH_TYPE)) {
            if (r.nextInt(3) == 0) {
                continue;
            }
            long mask = r.nextBoolean() ? f.fullMask() : r.nextLong() & f.fullMask() | 1;
            out.add(new FieldMatch(f, r.nextLong() & mask, mask));
        }
        Collections.shuffle(out, r);
        return out;
    }

    @Property
    void fieldsComeOutSortedAsTheyWentIn(@ForAll long seed) {
        List<FieldMatch> in = randomFields(seed);
        Match m = new Match(in);
        List<FieldMatch> sorted = new ArrayList<>(in);
        Collections.sort(sorted);
        assertThat(m.fields()).isEqualTo(sorted);
        assertThat(m.size()).isEqualTo(in.size());
        for (Field f : Field.values()) {
            Optional<FieldMatch> want = in.stream().filter(x -> x.field() == f).findFirst();
            assertThat(m.get(f)).isEqualTo(want);
            assertThat(m.has(f)).isEqualTo(want.isPresent());
        }
    }

    @Property
    void equalExactlyWhenTheFieldsAre(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int change) {
        // The same fields, or with one value, one mask or one field changed.
        List<FieldMatch> x = randomFields(seed);
        List<FieldMatch> y = new ArrayList<>(x);
        if (!y.isEmpty() && change > 0) {
            FieldMatch f = y.get(0);
            y.set(0, switch (change) {
                case 1 -> new FieldMatch(f.field(), f.value() ^ 1, f.mask() | 1);
                case 2 -> f.isExact() ? new FieldMatch(f.field(), f.value() & 1, 1) : FieldMatch.exact(f.field(),
                        f.value());
                default -> new FieldMatch(f.field() == Field.IN_PORT ? Field.TUNNEL_ID : Field.IN_PORT, 1, 1);
            });
        }
        Collections.shuffle(y, new Random(seed));
        boolean same = new java.util.HashSet<>(x).equals(new java.util.HashSet<>(y)) && x.size() == y.size();
        Match mx = new Match(x);
        Match my;
        try {
            my = new Match(y);
        } catch (IllegalArgumentException twice) {
            return; // the changed field was matched already
        }
        assertThat(mx.equals(my)).isEqualTo(same);
        if (same) {
            assertThat(mx.hashCode()).isEqualTo(my.hashCode());
        }
    }
}
