package io.weft.controller.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A link comes up or goes down and the paths move: the switches are sent {@link UpdateOrder#stages} one after the
 * other, and within a stage they apply in any order. In every state on the way, any mix of switches that applied the
 * stage and switches that have not yet, every frame arrives once and none loops.
 */
class UpdateOrderPropertyTest {

    private static final long IPV4 = 0x0800;

    @Provide
    Arbitrary<RandomFabric> fabrics() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(3, 9),
                Arbitraries.integers().between(1, 10)).as(RandomFabric::of);
    }

    @Property(tries = 300)
    void aLinkComingUpMovesPathsWithoutALostOrLoopingFrame(@ForAll("fabrics") RandomFabric f,
            @ForAll @IntRange(min = 0, max = 30) int which, @ForAll long mixSeed) {
        Link link = pick(f, which);
        Topology without = f.topology().withPort(link.a(), false);
        Assume.that(connected(without));
        Map<Long, PlainFlows.SwitchState> before = PlainFlows.desired(without, Set.of());
        Map<Long, PlainFlows.SwitchState> after = PlainFlows.desired(f.topology(), Set.of());

        everyMixOnTheWay(before, UpdateOrder.stages(before, after, f.topology()), mixSeed, states -> {
            FabricSim sim = new FabricSim(f.topology().links(), states, Set.of());
            everyPairArrives(f, sim, true);
        });
    }

    @Property(tries = 300)
    void aLinkGoingDownMovesPathsWithoutALoopingFrame(@ForAll("fabrics") RandomFabric f,
            @ForAll @IntRange(min = 0, max = 30) int which, @ForAll long mixSeed) {
        Link link = pick(f, which);
        Topology without = f.topology().withPort(link.a(), false);
        Assume.that(connected(without));
        Map<Long, PlainFlows.SwitchState> before = PlainFlows.desired(f.topology(), Set.of());
        Map<Long, PlainFlows.SwitchState> after = PlainFlows.desired(without, Set.of());

        everyMixOnTheWay(before, UpdateOrder.stages(before, after, without), mixSeed, states -> {
            FabricSim sim = new FabricSim(f.topology().links(), states, Set.of()).withoutCable(link);
            everyPairArrives(f, sim, false);
        });
    }

    @Property(tries = 100)
    void theLastStageIsTheNewStateAndNothingChangesForNothing(@ForAll("fabrics") RandomFabric f,
            @ForAll @IntRange(min = 0, max = 30) int which) {
        Topology without = f.topology().withPort(pick(f, which).a(), false);
        Map<Long, PlainFlows.SwitchState> before = PlainFlows.desired(f.topology(), Set.of());
        Map<Long, PlainFlows.SwitchState> after = PlainFlows.desired(without, Set.of());

        List<Map<Long, PlainFlows.SwitchState>> stages = UpdateOrder.stages(before, after, without);
        assertThat(stages.get(stages.size() - 1)).isEqualTo(after);
        assertThat(UpdateOrder.stages(after, after, without)).containsExactly(after);
        assertThat(UpdateOrder.stages(Map.of(), after, without)).containsExactly(after);
    }

    private interface Check {
        void on(Map<Long, PlainFlows.SwitchState> states);
    }

    /** Each stage applied by a random part of the switches (every switch, at the end of each stage). */
    private static void everyMixOnTheWay(Map<Long, PlainFlows.SwitchState> before,
                                         List<Map<Long, PlainFlows.SwitchState>> stages, long seed, Check check) {
        Random random = new Random(seed);
        Map<Long, PlainFlows.SwitchState> held = before;
        for (Map<Long, PlainFlows.SwitchState> stage : stages) {
            for (int mix = 0; mix < 4; mix++) {
                Map<Long, PlainFlows.SwitchState> states = new HashMap<>(held);
                stage.forEach((dpid, s) -> {
                    if (random.nextBoolean()) {
                        states.put(dpid, s);
                    }
                });
                check.on(states);
            }
            check.on(stage);
            held = stage;
        }
    }

    /** Every host to every other: arrives once at its host ({@code mustArrive}) or at most once, never elsewhere. */
    private static void everyPairArrives(RandomFabric f, FabricSim sim, boolean mustArrive) {
        for (LearnedHost from : f.hosts()) {
            for (LearnedHost to : f.hosts()) {
                if (from.equals(to)) {
                    continue;
                }
                FabricSim.Result r = sim.send(from.at(), from.mac(), to.mac(), IPV4);    // throws when it loops
                var delivered = assertThat(r.delivered()).as("%s to %s", from.mac(), to.mac())
                        .extracting(FabricSim.Arrival::at);
                if (mustArrive) {
                    delivered.containsExactly(to.at());
                } else {
                    delivered.isSubsetOf(List.of(to.at())).hasSizeLessThanOrEqualTo(1);   // lost only where unprotected
                }
            }
        }
    }

    private static Link pick(RandomFabric f, int which) {
        List<Link> links = new ArrayList<>(f.topology().links());
        return links.get(which % links.size());
    }

    private static boolean connected(Topology t) {
        Paths p = Paths.of(t);
        long first = t.switches().first();
        return t.switches().stream().allMatch(s -> p.hops(first, s).isPresent());
    }
}
