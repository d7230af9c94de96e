package io.weft.flows;

import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a packet through a host's compiled flows the way an OpenFlow 1.3 switch does: highest-priority match per
 * table, apply-actions in order, write-metadata, goto-table; output (several allowed, {@code IN_PORT} resolved,
 * output to the ingress port without {@code IN_PORT} suppressed as switches do), set-field, dec_ttl (the packet
 * dies at TTL 0). Two matching flows of equal priority are a compiler bug and fail loudly.
 */
public final class PacketWalker {

    private static final int MAX_STEPS = 64;

    private final Map<Integer, List<FlowRule>> tables = new HashMap<>();

    public PacketWalker(List<FlowRule> flows) {
        for (FlowRule f : flows) {
            tables.computeIfAbsent(f.tableId(), t -> new ArrayList<>()).add(f);
        }
        tables.values().forEach(l -> l.sort(Comparator.comparingInt(FlowRule::priority).reversed()));
    }

    public static Trace walk(List<FlowRule> hostFlows, Packet in, long inPort) {
        return new PacketWalker(hostFlows).walk(in, inPort);
    }

    public Trace walk(Packet in, long inPort) {
        List<Trace.Step> steps = new ArrayList<>();
        List<Trace.Output> outputs = new ArrayList<>();
        Packet packet = in;
        long metadata = 0;
        int tableId = 0;
        while (true) {
            Table table = Pipeline.byNumber(tableId)
                    .orElseThrow(() -> new IllegalStateException("goto to undeclared table"));
            Optional<FlowRule> hit = lookup(tableId, packet, inPort, metadata);
            if (hit.isEmpty()) {
                steps.add(new Trace.Step(table, hit, packet, metadata));
                return finish(steps, outputs, table.name() + ": table miss");
            }
            Integer next = null;
            for (Instruction i : hit.get().instructions()) {
                if (i instanceof Instruction.ApplyActions a) {
                    for (Action action : a.actions()) {
                        if (action instanceof Action.SetField s) {
                            packet = packet.with(s.field(), s.value());
                        } else if (action instanceof Action.DecNwTtl) {
                            if (packet.ttl() <= 1) {
                                steps.add(new Trace.Step(table, hit, packet, metadata));
                                return finish(steps, outputs, table.name() + ": TTL expired");
                            }
                            packet = packet.withTtl(packet.ttl() - 1);
                        } else if (action instanceof Action.Output o) {
                            long port = o.port() == Action.PORT_IN_PORT ? inPort : o.port();
                            if (o.port() == Action.PORT_IN_PORT || port != inPort) {
                                outputs.add(new Trace.Output(port, packet));
                            }
                        } else {
                            throw new UnsupportedOperationException("walker does not model " + action);
                        }
                    }
                } else if (i instanceof Instruction.WriteMetadata w) {
                    metadata = (metadata & ~w.mask()) | w.value();
                } else if (i instanceof Instruction.GotoTable g) {
                    next = g.tableId();
                }
            }
            steps.add(new Trace.Step(table, hit, packet, metadata));
            if (next == null || steps.size() >= MAX_STEPS) {
                return finish(steps, outputs, table.name() + ": " + (hit.get().instructions().isEmpty()
                        ? "drop flow" : "no output"));
            }
            tableId = next;
        }
    }

    private static Trace finish(List<Trace.Step> steps, List<Trace.Output> outputs, String dropReason) {
        return new Trace(steps, outputs.isEmpty() ? new Trace.Dropped(dropReason) : new Trace.Forwarded(outputs));
    }

    private Optional<FlowRule> lookup(int tableId, Packet packet, long inPort, long metadata) {
        FlowRule found = null;
        for (FlowRule f : tables.getOrDefault(tableId, List.of())) {
            if (found != null && f.priority() < found.priority()) {
                break;
            }
            if (matches(f, packet, inPort, metadata)) {
                if (found != null) {
                    throw new IllegalStateException("ambiguous: two flows of priority " + f.priority()
                            + " match in table " + tableId + ":\n  " + found + "\n  " + f);
                }
                found = f;
            }
        }
        return Optional.ofNullable(found);
    }

    private static boolean matches(FlowRule flow, Packet packet, long inPort, long metadata) {
        for (FieldMatch m : flow.match().fields()) {
            long value;
            if (m.field() == Field.IN_PORT) {
                value = inPort;
            } else if (m.field() == Field.METADATA) {
                value = metadata;
            } else if (m.field() == Field.TUNNEL_ID) {
                value = packet.get(Field.TUNNEL_ID).orElse(0); // switches report tun_id 0 for local packets
            } else {
                Long v = packet.fields().get(m.field());
                if (v == null) {
                    return false;
                }
                value = v;
            }
            if (!m.matches(value)) {
                return false;
            }
        }
        return true;
    }
}
