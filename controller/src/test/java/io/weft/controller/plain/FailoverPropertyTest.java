package io.weft.controller.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A link goes down and the controller does nothing yet: only the switches' fast-failover groups act. Wherever the
 * link had an alternate, every frame still arrives at its host and none loops.
 */
class FailoverPropertyTest {

    private static final long IPV4 = 0x0800;

    /** 2 to 9 switches joined by a random tree and up to 10 more links. */
    @Provide
    Arbitrary<RandomFabric> fabrics() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(2, 9),
                Arbitraries.integers().between(0, 10)).as(RandomFabric::of);
    }

    @Property(tries = 300)
    void withAnyOneLinkDownEveryProtectedFrameStillArrivesOnceAndNeverLoops(@ForAll("fabrics") RandomFabric f,
            @ForAll @IntRange(min = 0, max = 30) int which) {
        List<Link> links = new ArrayList<>(f.topology().links());
        Link pulled = links.get(which % links.size());
        Paths paths = Paths.of(f.topology());
        FabricSim sim = new FabricSim(f.topology()).withoutCable(pulled);

        for (LearnedHost from : f.hosts()) {
            for (LearnedHost to : f.hosts()) {
                if (from.equals(to)) {
                    continue;
                }
                FabricSim.Result r = sim.send(from.at(), from.mac(), to.mac(), IPV4);   // throws when it loops
                if (protectedOrUntouched(f.topology(), paths, pulled, from.at().dpid(), to.at().dpid())) {
                    assertThat(r.delivered()).as("%s to %s with %s down", from.mac(), to.mac(), pulled)
                            .extracting(FabricSim.Arrival::at).containsExactly(to.at());
                }
            }
        }
    }

    /** A torus 4x4 as Mininet builds it: every pair of switches, with any one link down, still reaches each other. */
    @Example
    void onATorusEveryLinkButThoseToANeighbourNextDoorIsProtected() {
        RandomFabric torus = RandomFabric.torus(4, 4);
        Paths paths = Paths.of(torus.topology());
        int protectedHops = 0;
        int hops = 0;
        for (long s : torus.topology().switches()) {
            for (long d : torus.topology().switches()) {
                if (s != d) {
                    hops++;
                    protectedHops += paths.alternatePort(s, d).isPresent() ? 1 : 0;
                }
            }
        }
        assertThat(protectedHops).as("switch-destination pairs with an alternate").isEqualTo(hops);
        for (Link pulled : torus.topology().links()) {
            FabricSim sim = new FabricSim(torus.topology()).withoutCable(pulled);
            for (LearnedHost from : torus.hosts()) {
                for (LearnedHost to : torus.hosts()) {
                    if (!from.equals(to)) {
                        assertThat(sim.send(from.at(), from.mac(), to.mac(), IPV4).delivered())
                                .extracting(FabricSim.Arrival::at).containsExactly(to.at());
                    }
                }
            }
        }
    }

    /**
     * Whether every switch on the way from {@code src} to {@code dst} whose next hop crosses {@code pulled} has an
     * alternate (or none does).
     */
    private static boolean protectedOrUntouched(Topology t, Paths paths, Link pulled, long src, long dst) {
        long at = src;
        while (at != dst) {
            Optional<Long> port = paths.nextPort(at, dst);
            PortRef out = new PortRef(at, port.orElseThrow());
            if (pulled.touches(out)) {
                return paths.alternatePort(at, dst).isPresent();
            }
            at = t.links().stream().filter(l -> l.touches(out)).findFirst().orElseThrow().peer(out).dpid();
        }
        return true;
    }
}
