package io.weft.southbound;

import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionDecNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteMetadata;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * Translates Weft's version-independent flow records to openflowj messages of one negotiated version and back.
 * Parsing is strict: anything the model cannot express (timeouts, unknown fields or actions) makes the flow
 * "foreign", which the programmer deletes by its own openflowj match.
 */
public final class FlowTranslator {

    /** OFPCML_NO_BUFFER: send whole packets to the controller. */
    private static final int CONTROLLER_MAX_LEN = 0xffff;

    private final OFFactory factory;

    public FlowTranslator(OFFactory factory) {
        this.factory = factory;
    }

    public OFFactory factory() {
        return factory;
    }

    // ---- model -> openflowj

    public OFFlowMod add(FlowRule rule, long xid) {
        return factory.buildFlowAdd().setXid(xid).setTableId(TableId.of(rule.tableId())).setPriority(rule.priority())
                .setCookie(U64.of(rule.cookie())).setMatch(match(rule.match()))
                .setInstructions(instructions(rule.instructions())).setBufferId(OFBufferId.NO_BUFFER)
                .build();
    }

    public OFFlowMod modifyStrict(FlowRule rule, long xid) {
        return factory.buildFlowModifyStrict().setXid(xid).setTableId(TableId.of(rule.tableId()))
                .setPriority(rule.priority()).setCookie(U64.of(rule.cookie())).setMatch(match(rule.match()))
                .setInstructions(instructions(rule.instructions())).setBufferId(OFBufferId.NO_BUFFER).build();
    }

    public OFFlowDeleteStrict deleteStrict(FlowRule rule, long xid) {
        return deleteStrict(rule.tableId(), rule.priority(), match(rule.match()), xid);
    }

    public OFFlowDeleteStrict deleteStrict(int tableId, int priority,
            org.projectfloodlight.openflow.protocol.match.Match match, long xid) {
        return factory.buildFlowDeleteStrict().setXid(xid).setTableId(TableId.of(tableId)).setPriority(priority)
                .setMatch(match).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).setBufferId(OFBufferId.NO_BUFFER)
                .build();
    }

    public org.projectfloodlight.openflow.protocol.match.Match match(Match match) {
        var b = factory.buildMatch();
        for (FieldMatch f : match.fields()) {
            OxmCodec.of(f.field()).addTo(b, f.value(), f.mask());
        }
        return b.build();
    }

    public List<OFInstruction> instructions(List<Instruction> instructions) {
        List<OFInstruction> out = new ArrayList<>(instructions.size());
        for (Instruction i : instructions) {
            if (i instanceof Instruction.ApplyActions a) {
                out.add(factory.instructions().applyActions(actions(a.actions())));
            } else if (i instanceof Instruction.WriteMetadata w) {
                out.add(factory.instructions().writeMetadata(U64.of(w.value()), U64.of(w.mask())));
            } else if (i instanceof Instruction.GotoTable g) {
                out.add(factory.instructions().gotoTable(TableId.of(g.tableId())));
            } else if (i instanceof Instruction.Meter m) {
                out.add(factory.instructions().meter(m.meterId()));
            }
        }
        return out;
    }

    public List<OFAction> actions(List<Action> actions) {
        List<OFAction> out = new ArrayList<>(actions.size());
        for (Action a : actions) {
            if (a instanceof Action.Output o) {
                int maxLen = o.port() == Action.PORT_CONTROLLER ? CONTROLLER_MAX_LEN : 0;
                out.add(factory.actions().output(OFPort.of((int) o.port()), maxLen));
            } else if (a instanceof Action.SetField s) {
                out.add(factory.actions().setField(OxmCodec.of(s.field()).oxm(factory.oxms(), s.value())));
            } else if (a instanceof Action.DecNwTtl) {
                out.add(factory.actions().decNwTtl());
            }
        }
        return out;
    }

    // ---- openflowj -> model

    /** The flow as a model rule, or empty when the model cannot express it (a foreign flow). */
    public static Optional<FlowRule> parse(OFFlowStatsEntry e) {
        try {
            if (e.getIdleTimeout() != 0 || e.getHardTimeout() != 0) {
                return Optional.empty();
            }
            return Optional.of(new FlowRule(e.getTableId().getValue(), e.getPriority(), parseMatch(e.getMatch()),
                    parseInstructions(e.getInstructions()), e.getCookie().getValue()));
        } catch (ForeignException | IllegalArgumentException | UnsupportedOperationException ex) {
            return Optional.empty();
        }
    }

    public static Match parseMatch(org.projectfloodlight.openflow.protocol.match.Match m) {
        List<FieldMatch> fields = new ArrayList<>();
        for (MatchField<?> mf : m.getMatchFields()) {
            Field f = OxmCodec.fieldOf(mf);
            if (f == null) {
                throw new ForeignException("field " + mf.getName());
            }
            long[] vm = OxmCodec.of(f).read(m);
            fields.add(new FieldMatch(f, vm[0], vm[1]));
        }
        return new Match(fields);
    }

    static List<Instruction> parseInstructions(List<OFInstruction> instructions) {
        List<Instruction> out = new ArrayList<>();
        for (OFInstruction i : instructions) {
            if (i instanceof OFInstructionApplyActions a) {
                List<Action> actions = parseActions(a.getActions());
                if (!actions.isEmpty()) {
                    out.add(new Instruction.ApplyActions(actions));
                }
            } else if (i instanceof OFInstructionWriteMetadata w) {
                out.add(new Instruction.WriteMetadata(w.getMetadata().getValue(), w.getMetadataMask().getValue()));
            } else if (i instanceof OFInstructionGotoTable g) {
                out.add(new Instruction.GotoTable(g.getTableId().getValue()));
            } else if (i instanceof OFInstructionMeter m) {
                out.add(new Instruction.Meter(m.getMeterId()));
            } else {
                throw new ForeignException("instruction " + i.getType());
            }
        }
        return out;
    }

    static List<Action> parseActions(List<OFAction> actions) {
        List<Action> out = new ArrayList<>();
        for (OFAction a : actions) {
            if (a instanceof OFActionOutput o) {
                out.add(new Action.Output(o.getPort().getPortNumber() & 0xffff_ffffL));
            } else if (a instanceof OFActionSetField s) {
                Field f = OxmCodec.fieldOf(s.getField().getMatchField());
                if (f == null || s.getField().isMasked()) {
                    throw new ForeignException("set_field " + s.getField().getMatchField().getName());
                }
                out.add(new Action.SetField(f, OxmCodec.of(f).valueOf(s.getField())));
            } else if (a instanceof OFActionDecNwTtl) {
                out.add(new Action.DecNwTtl());
            } else {
                throw new ForeignException("action " + a.getType());
            }
        }
        return out;
    }

    /** Internal signal: the switch holds something the model cannot express. */
    private static final class ForeignException extends RuntimeException {
        ForeignException(String what) {
            super(what, null, false, false);
        }
    }

}
