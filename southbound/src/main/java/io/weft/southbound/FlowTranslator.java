package io.weft.southbound;

import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import io.weft.model.flow.OfctlFormat;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.weft.model.flow.FailoverGroup;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionDecNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteMetadata;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * Translates Weft's version-independent flow records to openflowj messages of one negotiated version and back.
 * Parsing is strict: anything the model cannot express (timeouts, unknown fields or actions) makes the flow
 * "foreign", which the programmer deletes by its own openflowj match.
 *
 * <p>OpenFlow 1.0 carries a flow's actions without instructions and has one table: a rule in table 0 whose
 * instructions are at most one apply-actions of outputs, matching exactly on in_port, eth_src, eth_dst and eth_type,
 * translates; anything else is refused with {@link UnsupportedByVersionException} ({@link #check}).
 */
public final class FlowTranslator {

    /** OFPCML_NO_BUFFER: send whole packets to the controller. */
    private static final int CONTROLLER_MAX_LEN = 0xffff;
    /** What Weft matches on in OpenFlow 1.0's fixed match (which wildcards whole fields, never bits of one). */
    private static final Set<Field> OF10_FIELDS = EnumSet.of(Field.IN_PORT, Field.ETH_SRC, Field.ETH_DST,
            Field.ETH_TYPE);

    private final OFFactory factory;
    private final boolean singleTable;

    public FlowTranslator(OFFactory factory) {
        this.factory = factory;
        this.singleTable = factory.getVersion() == OFVersion.OF_10;
    }

    public OFFactory factory() {
        return factory;
    }

    /** Throws {@link UnsupportedByVersionException} when this version cannot express {@code rule}. */
    public void check(FlowRule rule) {
        if (!singleTable) {
            return;
        }
        if (rule.tableId() != 0) {
            throw new UnsupportedByVersionException(OpenFlowVersion.OF_10, "table " + rule.tableId()
                    + " (it has table 0 only): " + OfctlFormat.flow(rule));
        }
        checkMatch(rule.match(), ": " + OfctlFormat.flow(rule));
        for (Instruction i : rule.instructions()) {
            if (!(i instanceof Instruction.ApplyActions a)) {
                throw new UnsupportedByVersionException(OpenFlowVersion.OF_10, "instruction " + i + ": "
                        + OfctlFormat.flow(rule));
            }
            checkActions(a.actions());
        }
    }

    /** Throws {@link UnsupportedByVersionException} when this version cannot express a flow {@code mods} write. */
    public void check(List<FlowMod> mods) {
        for (FlowMod m : mods) {
            if (m instanceof FlowMod.AddFlow a) {
                check(a.rule());
            } else if (m instanceof FlowMod.ModifyFlow c) {
                check(c.rule());
            }
        }
    }

    private void checkMatch(Match match, String context) {
        if (!singleTable) {
            return;
        }
        for (FieldMatch f : match.fields()) {
            if (!OF10_FIELDS.contains(f.field()) || f.mask() != f.field().fullMask()) {
                throw new UnsupportedByVersionException(OpenFlowVersion.OF_10, "a match on " + f.field()
                        + (OF10_FIELDS.contains(f.field()) ? " with a mask" : "") + context);
            }
        }
    }

    private void checkActions(List<Action> actions) {
        if (!singleTable) {
            return;
        }
        for (Action a : actions) {
            if (!(a instanceof Action.Output)) {
                throw new UnsupportedByVersionException(OpenFlowVersion.OF_10, "action " + a);
            }
        }
    }

    // ---- model -> openflowj

    public OFFlowMod add(FlowRule rule, long xid) {
        return flowMod(factory.buildFlowAdd(), rule, xid);
    }

    public OFFlowMod modifyStrict(FlowRule rule, long xid) {
        return flowMod(factory.buildFlowModifyStrict(), rule, xid);
    }

    /** {@code rule} into {@code b}: its actions in the one table (1.0), else its instructions in its table. */
    private OFFlowMod flowMod(OFFlowMod.Builder b, FlowRule rule, long xid) {
        check(rule);
        b.setXid(xid).setPriority(rule.priority()).setCookie(U64.of(rule.cookie())).setMatch(match(rule.match()))
                .setBufferId(OFBufferId.NO_BUFFER);
        return (singleTable ? b.setActions(actionsOf(rule))
                : b.setTableId(TableId.of(rule.tableId())).setInstructions(instructions(rule.instructions()))).build();
    }

    /** OpenFlow 1.0: the rule's one apply-actions (none: drop). */
    private List<OFAction> actionsOf(FlowRule rule) {
        return rule.instructions().stream().filter(i -> i instanceof Instruction.ApplyActions)
                .map(i -> actions(((Instruction.ApplyActions) i).actions())).findFirst().orElse(List.of());
    }

    /** Not {@link #check}ed: a flow read from the switch can be deleted, whatever table it is in. */
    public OFFlowDeleteStrict deleteStrict(FlowRule rule, long xid) {
        return deleteStrict(rule.tableId(), rule.priority(), match(rule.match()), xid);
    }

    /** With OpenFlow 1.0 the table is not named: the delete applies wherever the flow is. */
    public OFFlowDeleteStrict deleteStrict(int tableId, int priority,
            org.projectfloodlight.openflow.protocol.match.Match match, long xid) {
        var b = factory.buildFlowDeleteStrict().setXid(xid).setPriority(priority).setMatch(match)
                .setOutPort(OFPort.ANY).setBufferId(OFBufferId.NO_BUFFER);
        return (singleTable ? b : b.setTableId(TableId.of(tableId)).setOutGroup(OFGroup.ANY)).build();
    }

    public org.projectfloodlight.openflow.protocol.match.Match match(Match match) {
        checkMatch(match, "");
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
        checkActions(actions);
        List<OFAction> out = new ArrayList<>(actions.size());
        for (Action a : actions) {
            if (a instanceof Action.Output o) {
                int maxLen = o.port() == Action.PORT_CONTROLLER ? CONTROLLER_MAX_LEN : 0;
                out.add(factory.actions().output(OFPort.of((int) o.port()), maxLen));
            } else if (a instanceof Action.SetField s) {
                out.add(factory.actions().setField(OxmCodec.of(s.field()).oxm(factory.oxms(), s.value())));
            } else if (a instanceof Action.DecNwTtl) {
                out.add(factory.actions().decNwTtl());
            } else if (a instanceof Action.Group g) {
                out.add(factory.actions().group(OFGroup.of((int) g.groupId())));
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
            boolean of10 = e.getVersion() == OFVersion.OF_10;
            Match match = parseMatch(e.getMatch());
            if (of10 && !match.fields().stream().allMatch(f -> OF10_FIELDS.contains(f.field()))) {
                // 1.0 matches fields Weft never sends it (nw_src, tp_dst...): such a flow is not Weft's, and is
                // deleted by its own match.
                return Optional.empty();
            }
            List<Instruction> instructions = of10 ? applying(parseActions(e.getActions()))
                    : parseInstructions(e.getInstructions());
            return Optional.of(new FlowRule(e.getTableId().getValue(), e.getPriority(), match, instructions,
                    e.getCookie().getValue()));
        } catch (ForeignException | IllegalArgumentException | UnsupportedOperationException ex) {
            return Optional.empty();
        }
    }

    public static Match parseMatch(org.projectfloodlight.openflow.protocol.match.Match m) {
        if (m instanceof OFMatchV3 oxms) {
            // The OXMs as the switch sent them: openflowj's per-field reads (getMatchFields, isExact, get) check
            // each field's prerequisites again at every call, the largest part of decoding a table read; Match
            // checks them once, and one it refuses makes the flow foreign.
            List<FieldMatch> fields = new ArrayList<>();
            for (OFOxm<?> oxm : oxms.getOxmList()) {
                Field f = OxmCodec.fieldOf(oxm.getMatchField());
                if (f == null) {
                    throw new ForeignException("field " + oxm.getMatchField().getName());
                }
                fields.add(OxmCodec.of(f).fieldMatch(oxm));
            }
            return new Match(fields);
        }
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
                out.addAll(applying(parseActions(a.getActions())));
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

    /** Canonical form: no apply-actions instruction for no actions. */
    private static List<Instruction> applying(List<Action> actions) {
        return actions.isEmpty() ? List.of() : List.of(new Instruction.ApplyActions(actions));
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
            } else if (a instanceof OFActionGroup g) {
                out.add(new Action.Group(g.getGroup().getGroupNumber() & 0xffff_ffffL));
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


    // ---- groups

    /** The group-mod for {@code mod}, OpenFlow 1.1 and later. */
    public OFGroupMod groupMod(GroupMod mod, long xid) {
        if (mod instanceof GroupMod.DeleteGroup d) {
            return factory.buildGroupDelete().setXid(xid).setGroup(OFGroup.of((int) d.groupId()))
                    .setGroupType(OFGroupType.FF).build();
        }
        FailoverGroup g = mod instanceof GroupMod.AddGroup a ? a.group() : ((GroupMod.ModifyGroup) mod).group();
        List<OFBucket> buckets = new ArrayList<>();
        for (FailoverGroup.Bucket b : g.buckets()) {
            buckets.add(factory.buildBucket().setWatchPort(OFPort.of((int) b.watchPort()))
                    .setWatchGroup(OFGroup.ANY).setActions(actions(b.actions())).build());
        }
        return (mod instanceof GroupMod.AddGroup ? factory.buildGroupAdd() : factory.buildGroupModify()).setXid(xid)
                .setGroup(OFGroup.of((int) g.id())).setGroupType(OFGroupType.FF).setBuckets(buckets).build();
    }

    /** A group as the model's fast-failover group, or empty when it is another type or the model cannot read it. */
    public static Optional<FailoverGroup> parse(OFGroupDescStatsEntry e) {
        if (e.getGroupType() != OFGroupType.FF) {
            return Optional.empty();
        }
        try {
            List<FailoverGroup.Bucket> buckets = new ArrayList<>();
            for (OFBucket b : e.getBuckets()) {
                buckets.add(new FailoverGroup.Bucket(b.getWatchPort().getPortNumber() & 0xffff_ffffL,
                        parseActions(b.getActions())));
            }
            return Optional.of(new FailoverGroup(e.getGroup().getGroupNumber() & 0xffff_ffffL, buckets));
        } catch (ForeignException | IllegalArgumentException ex) {
            return Optional.empty();
        }
    }
}
