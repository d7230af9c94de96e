package io.weft.controller.plain;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.MacAddress;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * OpenFlow 1.0 switches, alone or mixed with 1.3 ones in random fabrics (loops included), forward every frame as a
 * fabric of 1.3 switches does: the same copies arriving at the same switches, delivered at the same ports, reported
 * to the controller at the same switches.
 */
class SingleTableFlowsPropertyTest {

    private static final long IPV4 = 0x0800;
    private static final long ARP = 0x0806;
    private static final MacAddress STRANGER = new MacAddress(0x0aaa_0000_0001L);

    /** A random fabric and a random part of its switches on OpenFlow 1.0 (none, some or all). */
    record Mixed(RandomFabric fabric, Set<Long> singleTable) {
    }

    @Provide
    Arbitrary<Mixed> mixed() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 9),
                Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 2)).as((seed, n, extra, mix) -> {
                    RandomFabric f = RandomFabric.of(seed, n, extra);
                    Random random = new Random(seed ^ 0x5eed);
                    Set<Long> single = new TreeSet<>();
                    for (long dpid : f.topology().switches()) {
                        if (mix == 2 || mix == 1 && random.nextBoolean()) {
                            single.add(dpid);
                        }
                    }
                    return new Mixed(f, single);
                });
    }

    @Property(tries = 300)
    void everyFrameGoesWhereItGoesThroughOpenFlow13Switches(@ForAll("mixed") Mixed m,
            @ForAll @IntRange(min = 0, max = 8) int sender, @ForAll @IntRange(min = 0, max = 8) int receiver) {
        List<LearnedHost> hosts = m.fabric().hosts();
        LearnedHost from = hosts.get(sender % hosts.size());
        LearnedHost to = hosts.get(receiver % hosts.size());
        LearnedHost elsewhere = hosts.get((sender + 1) % hosts.size());
        FabricSim reference = new FabricSim(m.fabric().topology());
        FabricSim mixed = new FabricSim(m.fabric().topology(), m.singleTable());
        // Known senders, a stranger, and a known host sending from another host's port (it moved there); each
        // unicast to a learned host and broadcast.
        for (PortRef at : List.of(from.at(), elsewhere.at())) {
            for (MacAddress src : List.of(from.mac(), STRANGER)) {
                for (MacAddress dst : List.of(to.mac(), MacAddress.BROADCAST)) {
                    long type = dst.equals(MacAddress.BROADCAST) ? ARP : IPV4;
                    assertSameForwarding(mixed.send(at, src, dst, type), reference.send(at, src, dst, type),
                            at + " " + src + " -> " + dst);
                }
            }
        }
    }

    @Property(tries = 100)
    void openFlow10SwitchesGetOneTableOfOutputsOnly(@ForAll("mixed") Mixed m) {
        Map<Long, List<FlowRule>> flows = PlainFlows.compile(m.fabric().topology(), m.singleTable());
        for (long dpid : m.singleTable()) {
            assertThat(flows.get(dpid)).allSatisfy(f -> {
                assertThat(f.tableId()).isZero();
                assertThat(f.instructions()).allMatch(i -> i instanceof Instruction.ApplyActions);
            });
            assertThat(flows.get(dpid).stream().map(FlowRule::key).distinct().count())
                    .as("one flow per match and priority").isEqualTo(flows.get(dpid).size());
        }
    }

    private static void assertSameForwarding(FabricSim.Result actual, FabricSim.Result expected, String what) {
        Comparator<FabricSim.Arrival> order = Comparator.comparing(FabricSim.Arrival::at)
                .thenComparingInt(FabricSim.Arrival::linksCrossed);
        assertThat(actual.arrivals()).as("arrivals of %s", what).usingElementComparator(order)
                .containsExactlyInAnyOrderElementsOf(expected.arrivals());
        assertThat(actual.delivered()).as("deliveries of %s", what).usingElementComparator(order)
                .containsExactlyInAnyOrderElementsOf(expected.delivered());
        assertThat(actual.toController()).as("packet-ins of %s", what)
                .containsExactlyInAnyOrderElementsOf(expected.toController());
    }
}
