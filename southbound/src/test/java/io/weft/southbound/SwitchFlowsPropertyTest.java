package io.weft.southbound;

import static io.weft.model.flow.Action.output;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.flow.Field;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever happens between offers, sends, acknowledgements, failed batches, reconnections and tampering, what
 * {@link SwitchFlows} says the switch holds is what a switch that applied the same messages holds, and driving it
 * to the end leaves the switch holding exactly the desired flows.
 */
class SwitchFlowsPropertyTest {

    enum Kind { OFFER, SEND, ACK, FAIL, RECONNECT, TAMPER }

    /** One event; {@code a} and {@code b} pick flows and counts from a small space, so keys collide often. */
    record Event(Kind kind, int a, int b) {
    }

    @Provide
    Arbitrary<List<Event>> events() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 29),
                Arbitraries.integers().between(0, 29)).as(Event::new).list().ofMaxSize(60);
    }

    private static FlowRule flow(int n) {
        return new FlowRule(n % 6 / 3, 100, Match.builder().exact(Field.IN_PORT, 1 + n % 6).build(),
                List.of(Instruction.apply(output(1 + n / 6 % 3))), 1 + n / 18);
    }

    @Property
    void installedIsWhatTheSwitchHoldsAndTheEndIsDesired(@ForAll("events") List<Event> events) {
        SwitchFlows flows = new SwitchFlows();
        Map<FlowKey, FlowRule> table = new HashMap<>();
        Map<FlowKey, FlowRule> desired = new HashMap<>();
        SwitchFlows.Batch inFlight = null;
        long generation = 0;
        flows.loaded(new FlowTable(List.of(), List.of()));
        for (Event e : events) {
            switch (e.kind()) {
                case OFFER -> {
                    generation++;
                    List<FlowRule> removed = new ArrayList<>(desired.values().stream()
                            .filter(f -> f.hashCode() % 3 == e.b() % 3).toList());
                    removed.forEach(f -> desired.remove(f.key()));
                    FlowRule notHeld = flow(e.a() + 1);
                    if (!notHeld.equals(desired.get(notHeld.key()))) {
                        removed.add(notHeld);   // a removal of a flow not desired (any more): what is desired stays
                    }
                    List<FlowRule> added = List.of(flow(e.a()), flow(e.b()));
                    added.forEach(f -> desired.put(f.key(), f));
                    flows.offer(removed, added, generation);
                }
                case SEND -> {
                    if (inFlight == null) {
                        inFlight = flows.next(generation).orElse(null);
                    }
                }
                case ACK -> {
                    if (inFlight != null) {
                        applyTo(inFlight.mods(), table);
                        flows.acknowledged(inFlight);
                        inFlight = null;
                    }
                }
                case FAIL, RECONNECT -> {
                    if (e.kind() == Kind.FAIL && inFlight == null) {
                        continue;
                    }
                    if (inFlight != null) { // part of it made it to the switch
                        applyTo(inFlight.mods().subList(0, e.a() % (inFlight.mods().size() + 1)), table);
                        if (e.kind() == Kind.FAIL) {
                            flows.failed(inFlight);
                        }
                        inFlight = null;
                    }
                    if (e.kind() == Kind.RECONNECT) {
                        flows.reconnected();
                    }
                    assertThat(flows.needsRead()).isTrue();
                    flows.loaded(new FlowTable(List.copyOf(table.values()), List.of()));
                }
                case TAMPER -> {
                    if (inFlight == null) {
                        FlowRule f = flow(e.a());
                        if (table.remove(f.key()) == null) {
                            table.put(f.key(), f);
                        }
                        SwitchFlows.Drift drift = flows.audit(new FlowTable(List.copyOf(table.values()), List.of()));
                        assertThat(drift.isEmpty()).isFalse();
                    }
                }
            }
            if (inFlight == null) {
                assertThat(new HashSet<>(flows.installed())).isEqualTo(new HashSet<>(table.values()));
                assertThat(flows.installedCount()).isEqualTo(table.size());
                assertThat(flows.expectedCounts()).isEqualTo(countsPerTable(table));
            }
            assertThat(new HashSet<>(flows.desired())).isEqualTo(new HashSet<>(desired.values()));
        }
        if (inFlight != null) {
            applyTo(inFlight.mods(), table);
            flows.acknowledged(inFlight);
        }
        for (int i = 0; i < 3; i++) {
            flows.next(generation).ifPresent(b -> {
                applyTo(b.mods(), table);
                flows.acknowledged(b);
            });
        }
        assertThat(flows.inStep()).isTrue();
        assertThat(flows.caughtUpTo(generation)).isTrue();
        assertThat(table).isEqualTo(desired);
        assertThat(flows.expectedCounts()).isEqualTo(countsPerTable(desired));
    }

    private static Map<Integer, Long> countsPerTable(Map<FlowKey, FlowRule> flows) {
        Map<Integer, Long> counts = new HashMap<>();
        flows.keySet().forEach(k -> counts.merge(k.tableId(), 1L, Long::sum));
        return counts;
    }

    private static void applyTo(List<FlowMod> mods, Map<FlowKey, FlowRule> table) {
        for (FlowMod m : new ArrayList<>(mods)) {
            if (m instanceof FlowMod.AddFlow a) {
                table.put(a.rule().key(), a.rule());
            } else if (m instanceof FlowMod.ModifyFlow mod) {
                table.put(mod.rule().key(), mod.rule());
            } else if (m instanceof FlowMod.DeleteFlow d) {
                table.remove(d.rule().key());
            }
        }
    }
}
