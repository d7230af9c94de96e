package io.weft.controller.plain;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.MacAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Where frames go through the compiled flows of random fabrics, loops included. */
class PlainFlowsPropertyTest {

    private static final long IPV4 = 0x0800;
    private static final long ARP = 0x0806;

    /** 1 to 9 switches joined by a random tree and up to 8 more links. */
    @Provide
    Arbitrary<RandomFabric> fabrics() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 9),
                Arbitraries.integers().between(0, 8)).as(RandomFabric::of);
    }

    @Property(tries = 300)
    void aBroadcastReachesEverySwitchAndEveryOtherHostExactlyOnce(@ForAll("fabrics") RandomFabric f,
            @ForAll @IntRange(min = 0, max = 8) int sender) {
        LearnedHost from = f.hosts().get(sender % f.hosts().size());
        FabricSim.Result r = new FabricSim(f.topology()).send(from.at(), from.mac(), MacAddress.BROADCAST, ARP);

        for (long dpid : f.topology().switches()) {
            assertThat(r.arrivalsAt(dpid)).as("copies arriving at switch %x", dpid).isEqualTo(1);
        }
        assertThat(r.delivered()).extracting(FabricSim.Arrival::at)
                .containsExactlyInAnyOrderElementsOf(f.hosts().stream().map(LearnedHost::at)
                        .filter(p -> !p.equals(from.at())).toList());
        assertThat(r.toController()).as("a learned sender is not sent to the controller").isEmpty();
    }

    @Property(tries = 300)
    void unicastToALearnedHostTakesAShortestPathAndArrivesOnce(@ForAll("fabrics") RandomFabric f,
            @ForAll @IntRange(min = 0, max = 8) int sender, @ForAll @IntRange(min = 0, max = 8) int receiver) {
        LearnedHost from = f.hosts().get(sender % f.hosts().size());
        LearnedHost to = f.hosts().get(receiver % f.hosts().size());
        FabricSim.Result r = new FabricSim(f.topology()).send(from.at(), from.mac(), to.mac(), IPV4);

        if (from.equals(to)) {
            assertThat(r.delivered()).isEmpty();
            return;
        }
        assertThat(r.delivered()).hasSize(1);
        assertThat(r.delivered().get(0).at()).isEqualTo(to.at());
        assertThat(r.delivered().get(0).linksCrossed()).isEqualTo(f.distance(from.at().dpid(), to.at().dpid()));
        assertThat(r.arrivals()).hasSize(r.delivered().get(0).linksCrossed() + 1);
    }

    @Property(tries = 100)
    void anUnknownSenderIsForwardedAndReportedToTheControllerAtItsOwnSwitchOnly(@ForAll("fabrics") RandomFabric f,
            @ForAll @IntRange(min = 0, max = 8) int receiver) {
        LearnedHost to = f.hosts().get(receiver % f.hosts().size());
        LearnedHost moved = f.hosts().get((receiver + 1) % f.hosts().size());
        // A stranger, and a known host sending from another host's port (it moved there).
        for (MacAddress stranger : new MacAddress[] {new MacAddress(0x0aaa_0000_0001L), moved.mac()}) {
            PortRef ingress = to.at();
            if (stranger.equals(moved.mac()) && moved.at().equals(ingress)) {
                continue;
            }
            FabricSim.Result r = new FabricSim(f.topology()).send(ingress, stranger, MacAddress.BROADCAST, ARP);
            assertThat(r.toController()).containsExactly(ingress);
            assertThat(r.delivered()).hasSize(f.hosts().size() - 1);
        }
    }
}
