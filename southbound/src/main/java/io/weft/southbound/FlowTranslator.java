package io.weft.southbound;

import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionDecNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
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

    /** Drops empty apply-actions, which a switch stores (and reports) as no instruction at all. */
    public static FlowRule canonical(FlowRule rule) {
        boolean hasEmpty = rule.instructions().stream()
                .anyMatch(i -> i instanceof Instruction.ApplyActions a && a.actions().isEmpty());
        if (!hasEmpty) {
            return rule;
        }
        List<Instruction> kept = rule.instructions().stream()
                .filter(i -> !(i instanceof Instruction.ApplyActions a && a.actions().isEmpty())).toList();
        return new FlowRule(rule.tableId(), rule.priority(), rule.match(), kept, rule.cookie());
    }

    /** Groups carry no cookie on an OpenFlow 1.3/1.4 switch, so the view compares them without it. */
    public static GroupRule canonical(GroupRule group) {
        return group.cookie() == 0 ? group : new GroupRule(group.groupId(), group.type(), group.buckets(), 0);
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

    /** Deletes every flow in every table whose cookie matches under the mask (Floodlight's app-id delete). */
    public OFFlowDelete deleteByCookie(long cookie, long mask, long xid) {
        return factory.buildFlowDelete().setXid(xid).setTableId(TableId.ALL).setCookie(U64.of(cookie))
                .setCookieMask(U64.of(mask)).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                .setBufferId(OFBufferId.NO_BUFFER).build();
    }

    public OFGroupMod groupAdd(GroupRule g, long xid) {
        return factory.buildGroupAdd().setXid(xid).setGroup(OFGroup.of((int) g.groupId()))
                .setGroupType(groupType(g.type())).setBuckets(buckets(g)).build();
    }

    public OFGroupMod groupModify(GroupRule g, long xid) {
        return factory.buildGroupModify().setXid(xid).setGroup(OFGroup.of((int) g.groupId()))
                .setGroupType(groupType(g.type())).setBuckets(buckets(g)).build();
    }

    public OFGroupMod groupDelete(long groupId, long xid) {
        return factory.buildGroupDelete().setXid(xid).setGroup(OFGroup.of((int) groupId))
                .setGroupType(OFGroupType.ALL).build();
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
            } else if (a instanceof Action.Group g) {
                out.add(factory.actions().group(OFGroup.of((int) g.groupId())));
            }
        }
        return out;
    }

    private List<OFBucket> buckets(GroupRule g) {
        List<OFBucket> out = new ArrayList<>();
        for (GroupRule.Bucket b : g.buckets()) {
            out.add(factory.buildBucket().setWeight(b.weight()).setWatchPort(OFPort.ANY).setWatchGroup(OFGroup.ANY)
                    .setActions(actions(b.actions())).build());
        }
        return out;
    }

    private static OFGroupType groupType(GroupRule.Type t) {
        return switch (t) {
            case ALL -> OFGroupType.ALL;
            case SELECT -> OFGroupType.SELECT;
            case INDIRECT -> OFGroupType.INDIRECT;
            case FF -> OFGroupType.FF;
        };
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

    public static Optional<GroupRule> parse(OFGroupDescStatsEntry e) {
        try {
            GroupRule.Type type = switch (e.getGroupType()) {
                case ALL -> GroupRule.Type.ALL;
                case SELECT -> GroupRule.Type.SELECT;
                case INDIRECT -> GroupRule.Type.INDIRECT;
                case FF -> GroupRule.Type.FF;
            };
            List<GroupRule.Bucket> buckets = new ArrayList<>();
            for (OFBucket b : e.getBuckets()) {
                // OVS reports weight 0 for non-select groups; the model says the same.
                buckets.add(new GroupRule.Bucket(type == GroupRule.Type.SELECT ? b.getWeight() : 0,
                        parseActions(b.getActions())));
            }
            return Optional.of(new GroupRule(e.getGroup().getGroupNumber() & 0xffff_ffffL, type, buckets, 0));
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

}
