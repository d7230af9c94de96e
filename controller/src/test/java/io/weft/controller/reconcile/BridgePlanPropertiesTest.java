package io.weft.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.EndpointIndex;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import io.weft.model.ovs.DesiredPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A port plan updated for what changed equals the plan made in full from the same previous plan, through random
 * runs of endpoints coming, going and changing ports, and of OVS making, numbering, failing and losing ports, with
 * foreign ports that take numbers, names and iface-ids. The flow compiler's "delta equals full compile", for ports.
 */
class BridgePlanPropertiesTest {

    private static final Host H1 = Host.of("h1", "172.31.1.11").withIndex(0);
    private static final List<Host> HOSTS = List.of(H1, Host.of("h2", "172.31.1.12").withIndex(1),
            Host.of("h3", "172.31.1.13").withIndex(2));
    private static final List<String> CONTROLLER = List.of("unix:/run/weft/of.sock");
    /** Few names, so that ports are reused, taken by foreign ports and moved between endpoints. */
    private static final int NAMES = 6;

    /** The intent of host h1 and its OVSDB cache, changed one random step at a time. */
    private static final class World {
        final Map<EndpointId, Endpoint> endpoints = new TreeMap<>();
        EndpointIndex index = EndpointIndex.EMPTY;
        final Map<String, BridgePort> cache = new TreeMap<>();
        final Set<String> touched = new HashSet<>();
        BridgePlan plan = BridgePlan.NONE;
        int next;

        void put(Endpoint e) {
            Endpoint old = endpoints.put(e.id(), e);
            if (old != null) {
                index = index.minus(old);
                touched.add(old.port());
            }
            index = index.plus(e);
            touched.add(e.port());
        }

        void remove(EndpointId id) {
            Endpoint old = endpoints.remove(id);
            if (old != null) {
                index = index.minus(old);
                touched.add(old.port());
            }
        }

        /** A port name no endpoint uses, if any. */
        Optional<String> freePort(int n) {
            for (int i = 0; i < NAMES; i++) {
                String port = "v" + ((n + i) % NAMES);
                if (index.holdersAt(H1.name(), port).isEmpty()) {
                    return Optional.of(port);
                }
            }
            return Optional.empty();
        }

        Endpoint endpoint(int n, String port) {
            Ipv4Address ip = Ipv4Address.parse("10.0." + (n / 200) + "." + (n % 200 + 1));
            return new Endpoint(new EndpointId("red", "c" + (n % 8)), H1.name(), port, MacAddress.fromIpv4(ip), ip);
        }

        Endpoint some(int n) {
            List<Endpoint> all = new ArrayList<>(endpoints.values());
            return all.isEmpty() ? null : all.get(n % all.size());
        }

        /** One step: an intent change, a cache change, or a plan (full and updated, compared). */
        void step(int op, int n) {
            String name = "v" + (n % NAMES);
            BridgePort there = cache.get(name);
            switch (op) {
                case 0, 1 -> freePort(n).ifPresent(port -> {
                    Endpoint e = endpoint(next++, port);
                    if (!endpoints.containsKey(e.id())) {
                        put(e);
                    }
                });
                case 2 -> {
                    Endpoint e = some(n);
                    if (e != null) {
                        remove(e.id());
                    }
                }
                case 3 -> { // an endpoint changes port (or address, on the same port)
                    Endpoint e = some(n);
                    if (e != null) {
                        Endpoint moved = freePort(n).map(p -> endpoint(next++, p)).orElse(endpoint(next++, e.port()));
                        put(new Endpoint(e.id(), e.host(), moved.port(), moved.mac(), moved.ip()));
                    }
                }
                case 4 -> applyPlan(n % 3 == 0);
                case 5 -> { // OVS numbers, or fails, a port Weft asked for
                    if (there != null && there.owned()) {
                        boolean fail = n % 2 == 0;
                        cache.put(name, new BridgePort(name, fail ? Optional.empty()
                                : Optional.of(there.ofportRequest().orElse(100 + n % 50)), true, Optional.empty(),
                                fail ? Optional.of("could not open network device " + name) : Optional.empty(),
                                there.ofportRequest()));
                    }
                }
                case 6 -> { // a foreign port: by an endpoint's port name, or naming one in its iface-id
                    Integer number = plan.requested().values().stream().skip(n % 3).findFirst()
                            .orElse(DesiredPort.FIRST_ENDPOINT_OFPORT + n % 4);
                    boolean byIfaceId = n % 3 == 1;
                    String port = byIfaceId ? "tap" + n % 3 : name;
                    cache.put(port, new BridgePort(port, n % 5 == 0 ? Optional.empty() : Optional.of(number),
                            false, byIfaceId ? Optional.of("red/c" + n % 8) : Optional.empty(), Optional.empty(),
                            Optional.empty()));
                }
                case 7 -> { // a port deleted behind Weft's back, or a foreign one that takes a tunnel's number
                    if (n % 4 == 0) {
                        cache.put("squat", new BridgePort("squat", Optional.of(DesiredPort.tunnelOfport(1,
                                io.weft.model.Encapsulation.values()[0])), false, Optional.empty(),
                                Optional.empty(), Optional.empty()));
                    } else {
                        cache.remove(n % 2 == 0 ? name : "tap" + n % 3);
                    }
                }
                default -> plan();
            }
        }

        /** OVS applies the plan's bridge: Weft's ports made (numbered as asked, or pending), the others gone. */
        void applyPlan(boolean numbered) {
            if (plan.bridge() == null) {
                return;
            }
            Set<String> wanted = new HashSet<>();
            for (DesiredPort p : plan.bridge().ports()) {
                wanted.add(p.name());
                BridgePort there = cache.get(p.name());
                if (there == null || !there.owned()) {
                    if (there == null) {
                        Optional<Integer> asked = p.ofportRequest().isPresent()
                                ? Optional.of(p.ofportRequest().getAsInt()) : Optional.empty();
                        cache.put(p.name(), new BridgePort(p.name(), numbered ? asked : Optional.empty(), true,
                                Optional.empty(), Optional.empty(), asked));
                    }
                }
            }
            cache.values().removeIf(p -> p.owned() && !wanted.contains(p.name()));
        }

        void plan() {
            BridgePorts actual = BridgePorts.of(List.copyOf(cache.values()));
            BridgePlan full = BridgePlan.of(H1, HOSTS, index.on(H1.name()), actual, CONTROLLER, plan);
            BridgePlan updated = BridgePlan.update(plan, H1, HOSTS, index, Set.copyOf(touched), actual, CONTROLLER);
            assertThat(updated).isEqualTo(full);
            touched.clear();
            plan = updated;
        }
    }

    @Property(tries = 400)
    void anUpdatedPlanEqualsTheFullPlan(@ForAll @Size(max = 80) List<@IntRange(min = 0, max = 899) Integer> ops) {
        World w = new World();
        w.plan();
        for (int x : ops) {
            w.step(x % 9, x / 9);
        }
        w.plan();
    }

    @Property(tries = 100)
    void anUpdateAfterEveryStepEqualsTheFullPlan(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 899) Integer> ops) {
        World w = new World();
        for (int x : ops) {
            w.step(x % 9, x / 9);
            w.plan();
        }
    }
}
