package io.weft.southbound;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.oxm.OFOxms;

/**
 * Reads an OpenFlow 1.3 or 1.4 flow-stats reply (OFPMP_FLOW) straight from its bytes into model flows. A restart
 * reads every switch's whole table back; decoding it through openflowj's objects and then
 * {@link FlowTranslator#parse} was most of what the event loops spent on it.
 *
 * <p>It reads what {@code FlowTranslator.parse} reads: the OXM fields, instructions and actions Weft writes. A part
 * holding any entry the model cannot express (a timeout, another field, instruction or action, a masked set-field,
 * values the model refuses) is left to openflowj ({@link #decode} returns null), so foreign flows are read exactly
 * as before; they are rare. Lengths that break the message's structure throw {@link CorruptedFrameException}: the
 * switch's connection closes, as for any other unparsable message.
 */
final class FlowStatsDecoder {

    private static final int OF_13 = 4;
    private static final int OF_14 = 5;
    private static final int MULTIPART_REPLY = 19;
    private static final int MULTIPART_FLOW = 1;
    private static final int REPLY_MORE = 1;
    /** ofp_header, then the multipart type, flags and 4 bytes of padding. */
    private static final int BODY = 16;
    /** ofp_flow_stats before its match, the same in 1.3 and 1.4 (1.4 turned padding into "importance"). */
    private static final int ENTRY_FIXED = 48;
    private static final int MATCH_OXM = 1;
    private static final int OXM_BASIC = 0x8000;
    private static final int GOTO_TABLE = 1;
    private static final int WRITE_METADATA = 2;
    private static final int APPLY_ACTIONS = 4;
    private static final int METER = 6;
    private static final int OUTPUT = 0;
    private static final int GROUP = 22;
    private static final int DEC_NW_TTL = 24;
    private static final int SET_FIELD = 25;

    /** The model's fields by OXM field number (all of class OPENFLOW_BASIC), from openflowj's own OXM headers. */
    private static final Field[] BASIC = new Field[128];

    static {
        OFOxms oxms = OFFactories.getFactory(OFVersion.OF_13).oxms();
        for (Field f : Field.values()) {
            long header = OxmCodec.of(f).oxm(oxms, 1).getTypeLen();
            if (header >>> 16 != OXM_BASIC || (header & 0xff) != f.bits() / 8) {
                throw new ExceptionInInitializerError("OXM header 0x" + Long.toHexString(header) + " for " + f);
            }
            BASIC[(int) (header >>> 9) & 0x7f] = f;
        }
    }

    private FlowStatsDecoder() {
    }

    /** True when {@code frame} (one whole message) is a flow-stats reply of a version this class reads. */
    static boolean reads(ByteBuf frame) {
        int at = frame.readerIndex();
        int version = frame.getUnsignedByte(at);
        return (version == OF_13 || version == OF_14) && frame.getUnsignedByte(at + 1) == MULTIPART_REPLY
                && frame.readableBytes() >= BODY && frame.getUnsignedShort(at + 8) == MULTIPART_FLOW;
    }

    /** The part's flows, or null when one of them is not the model's (openflowj reads the part instead). */
    static FlowStat.Part decode(ByteBuf frame) {
        int start = frame.readerIndex();
        int end = start + frame.readableBytes();
        List<FlowStat> entries = new ArrayList<>();
        for (int at = start + BODY; at < end; ) {
            if (end - at < ENTRY_FIXED + 8) {
                throw corrupt("a flow stats entry of " + (end - at) + " bytes, shorter than its fixed part");
            }
            int length = frame.getUnsignedShort(at);
            if (length < ENTRY_FIXED + 8 || at + length > end) {
                throw corrupt("a flow stats entry's length " + length + " (" + (end - at) + " bytes left)");
            }
            FlowStat entry;
            try {
                entry = entry(frame, at, at + length);
            } catch (IllegalArgumentException e) {
                entry = null;   // the model refuses it (a missing prerequisite, a value it does not allow)
            }
            if (entry == null) {
                return null;
            }
            entries.add(entry);
            at += length;
        }
        return new FlowStat.Part(frame.getUnsignedByte(start), frame.getUnsignedInt(start + 4),
                (frame.getUnsignedShort(start + 10) & REPLY_MORE) != 0, entries);
    }

    /** The entry in {@code [at, end)}, or null when the model cannot express it. */
    private static FlowStat entry(ByteBuf b, int at, int end) {
        if (b.getUnsignedShort(at + 14) != 0 || b.getUnsignedShort(at + 16) != 0) {
            return null;    // an idle or hard timeout: Weft sets neither
        }
        int match = at + ENTRY_FIXED;
        if (b.getUnsignedShort(match) != MATCH_OXM) {
            throw corrupt("match type " + b.getUnsignedShort(match) + " in an OpenFlow 1.3+ flow stats entry");
        }
        int matchLength = b.getUnsignedShort(match + 2);
        int instructionsAt = match + (matchLength + 7 & ~7);
        if (matchLength < 4 || instructionsAt > end) {
            throw corrupt("a match's length " + matchLength + " in a flow stats entry of " + (end - at) + " bytes");
        }
        List<FieldMatch> fields = new ArrayList<>();
        for (int o = match + 4; o < match + matchLength; o += 4 + b.getUnsignedByte(o + 3)) {
            Field f = field(b, o, match + matchLength);
            if (f == null) {
                return null;
            }
            int width = f.bits() / 8;
            boolean masked = (b.getUnsignedByte(o + 2) & 1) != 0;
            if (b.getUnsignedByte(o + 3) != (masked ? 2 * width : width)) {
                throw corrupt("OXM " + f + " of " + b.getUnsignedByte(o + 3) + " bytes");
            }
            long value = read(b, o + 4, width);
            long mask = masked ? read(b, o + 4 + width, width) : f.fullMask();
            fields.add(new FieldMatch(f, value, mask));
        }
        List<Instruction> instructions = new ArrayList<>(2);
        for (int i = instructionsAt; i < end; i += b.getUnsignedShort(i + 2)) {
            int type = length(b, i, end, "instruction");
            switch (type) {
                case GOTO_TABLE -> {
                    fixed(b, i, 8, "goto-table");
                    instructions.add(new Instruction.GotoTable(b.getUnsignedByte(i + 4)));
                }
                case WRITE_METADATA -> {
                    fixed(b, i, 24, "write-metadata");
                    instructions.add(new Instruction.WriteMetadata(b.getLong(i + 8), b.getLong(i + 16)));
                }
                case METER -> {
                    fixed(b, i, 8, "meter");
                    instructions.add(new Instruction.Meter(b.getUnsignedInt(i + 4)));
                }
                case APPLY_ACTIONS -> {
                    List<Action> actions = actions(b, i + 8, i + b.getUnsignedShort(i + 2));
                    if (actions == null) {
                        return null;
                    }
                    if (!actions.isEmpty()) {     // FlowTranslator's canonical form: no empty apply-actions
                        instructions.add(new Instruction.ApplyActions(actions));
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return new FlowStat(new FlowRule(b.getUnsignedByte(at + 2), b.getUnsignedShort(at + 12), new Match(fields),
                instructions, b.getLong(at + 24)), null, b.getLong(at + 32), b.getLong(at + 40));
    }

    /** The actions in {@code [at, end)}, or null when one is not the model's. */
    private static List<Action> actions(ByteBuf b, int at, int end) {
        List<Action> out = new ArrayList<>();
        for (int a = at; a < end; a += b.getUnsignedShort(a + 2)) {
            switch (length(b, a, end, "action")) {
                case OUTPUT -> {
                    fixed(b, a, 16, "output");
                    out.add(new Action.Output(b.getUnsignedInt(a + 4)));
                }
                case GROUP -> {
                    fixed(b, a, 8, "group");
                    out.add(new Action.Group(b.getUnsignedInt(a + 4)));
                }
                case DEC_NW_TTL -> {
                    fixed(b, a, 8, "dec_nw_ttl");
                    out.add(new Action.DecNwTtl());
                }
                case SET_FIELD -> {
                    int actionEnd = a + b.getUnsignedShort(a + 2);
                    Field f = field(b, a + 4, actionEnd);
                    if (f == null || (b.getUnsignedByte(a + 6) & 1) != 0) {
                        return null;    // a field the model lacks, or a masked set-field
                    }
                    if (b.getUnsignedByte(a + 7) != f.bits() / 8) {
                        throw corrupt("set-field OXM " + f + " of " + b.getUnsignedByte(a + 7) + " bytes");
                    }
                    out.add(new Action.SetField(f, read(b, a + 8, f.bits() / 8)));
                }
                default -> {
                    return null;
                }
            }
        }
        return out;
    }

    /** The model's field for the OXM header at {@code at}, or null for another; throws if it overruns {@code end}. */
    private static Field field(ByteBuf b, int at, int end) {
        if (end - at < 4 || at + 4 + b.getUnsignedByte(at + 3) > end) {
            throw corrupt("an OXM at offset " + at + " runs past its end (" + (end - at) + " bytes left)");
        }
        return b.getUnsignedShort(at) == OXM_BASIC ? BASIC[b.getUnsignedByte(at + 2) >>> 1] : null;
    }

    /** The type of the instruction or action at {@code at}, after checking its length fits in {@code end}. */
    private static int length(ByteBuf b, int at, int end, String what) {
        if (end - at < 4) {
            throw corrupt("an " + what + " header with " + (end - at) + " bytes left");
        }
        int length = b.getUnsignedShort(at + 2);
        if (length < 8 || at + length > end) {
            throw corrupt("an " + what + " of type " + b.getUnsignedShort(at) + " and length " + length + " ("
                    + (end - at) + " bytes left)");
        }
        return b.getUnsignedShort(at);
    }

    private static void fixed(ByteBuf b, int at, int length, String what) {
        if (b.getUnsignedShort(at + 2) != length) {
            throw corrupt(what + " of length " + b.getUnsignedShort(at + 2) + ", not " + length);
        }
    }

    /** An unsigned big-endian value of {@code width} bytes (1, 2, 4, 6 or 8). */
    private static long read(ByteBuf b, int at, int width) {
        return switch (width) {
            case 1 -> b.getUnsignedByte(at);
            case 2 -> b.getUnsignedShort(at);
            case 4 -> b.getUnsignedInt(at);
            case 6 -> (long) b.getUnsignedShort(at) << 32 | b.getUnsignedInt(at + 2);
            default -> b.getLong(at);
        };
    }

    private static CorruptedFrameException corrupt(String what) {
        return new CorruptedFrameException(what);
    }
}
