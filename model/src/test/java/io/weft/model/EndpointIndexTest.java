package io.weft.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The index, kept up to date by plus and minus, answers what a scan of the endpoints would, twins included. */
class EndpointIndexTest {

    /** An endpoint to add, or (remove) the one of that id to remove. Few names and addresses, so twins happen. */
    record Step(boolean remove, Endpoint endpoint) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Endpoint> endpoint = Combinators.combine(
                Arbitraries.of("red", "green"), Arbitraries.integers().between(1, 6), Arbitraries.of("h1", "h2", "h3"),
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 4)).as((net, name, host, port, ip, mac) -> new Endpoint(
                new EndpointId(net, "c" + name), host, "p" + port, new MacAddress(0x02_00_00_00_00_00L + mac),
                Ipv4Address.parse("10.0.0." + ip)));
        return Combinators.combine(Arbitraries.of(true, false), endpoint).as(Step::new).list().ofMaxSize(40);
    }

    @Property
    void incrementalIndexAnswersAsAScanDoes(@ForAll("steps") List<Step> steps) {
        Map<EndpointId, Endpoint> endpoints = new LinkedHashMap<>();
        EndpointIndex index = EndpointIndex.EMPTY;
        for (Step step : steps) {
            Endpoint old = endpoints.remove(step.endpoint().id());
            if (old != null) {
                index = index.minus(old);
            }
            if (!step.remove()) {
                endpoints.put(step.endpoint().id(), step.endpoint());
                index = index.plus(step.endpoint());
            }
        }
        for (String net : List.of("red", "green")) {
            int size = 0;
            for (String host : List.of("h1", "h2", "h3")) {
                boolean present = endpoints.values().stream()
                        .anyMatch(e -> e.network().equals(net) && e.host().equals(host));
                assertThat(index.isPresent(net, host)).isEqualTo(present);
            }
            for (int i = 1; i <= 4; i++) {
                Ipv4Address ip = Ipv4Address.parse("10.0.0." + i);
                MacAddress mac = new MacAddress(0x02_00_00_00_00_00L + i);
                assertThat(ids(index.holdersOf(net, ip)))
                        .isEqualTo(holders(endpoints.values(), net, e -> e.ip().equals(ip)));
                assertThat(ids(index.holdersOf(net, mac)))
                        .isEqualTo(holders(endpoints.values(), net, e -> e.mac().equals(mac)));
                size += index.holdersOf(net, ip).size();
                assertThat(index.held(net).contains(ip)).isEqualTo(!index.holdersOf(net, ip).isEmpty());
            }
            assertThat(index.size(net)).isEqualTo(size);
            List<Endpoint> byAddress = new ArrayList<>();
            index.addresses(net).values().forEach(byAddress::addAll);
            assertThat(byAddress).hasSize(size);
        }
        for (String host : List.of("h1", "h2", "h3")) {
            List<EndpointId> scanned = endpoints.values().stream().filter(e -> e.host().equals(host))
                    .sorted(java.util.Comparator.comparing(Endpoint::port)).map(Endpoint::id).toList();
            assertThat(index.on(host)).extracting(Endpoint::id).containsExactlyInAnyOrderElementsOf(scanned);
            for (Endpoint e : endpoints.values()) {
                assertThat(index.at(e.host(), e.port())).get()
                        .satisfies(holder -> assertThat(endpoints.get(holder).port()).isEqualTo(e.port()));
            }
        }
    }

    private static Set<EndpointId> ids(List<Endpoint> endpoints) {
        Set<EndpointId> ids = new TreeSet<>();
        endpoints.forEach(e -> ids.add(e.id()));
        return ids;
    }

    private static Set<EndpointId> holders(Iterable<Endpoint> endpoints, String net,
                                           java.util.function.Predicate<Endpoint> holds) {
        Set<EndpointId> ids = new TreeSet<>();
        for (Endpoint e : endpoints) {
            if (e.network().equals(net) && holds.test(e)) {
                ids.add(e.id());
            }
        }
        return ids;
    }
}
