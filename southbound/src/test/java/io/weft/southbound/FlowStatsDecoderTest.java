package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.weft.model.flow.Action;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.U64;

/**
 * {@link FlowStatsDecoder} against the path it replaces: the bytes openflowj writes for a flow-stats reply read the
 * same through the pipeline's decoder as through openflowj and {@link FlowTranslator#parse}, foreign flows included.
 */
class FlowStatsDecoderTest {

    /** Offsets in a reply: the multipart header, then the first entry's fixed part, then its match. */
    private static final int FIRST_ENTRY = 16;
    private static final int FIRST_OXM = FIRST_ENTRY + 48 + 4;

    @Property(tries = 200)
    void readsEveryPartAsOpenflowjAndTheTranslatorDo(@ForAll long seed, @ForAll boolean of14) {
        OFFactory f = OFFactories.getFactory(of14 ? OFVersion.OF_14 : OFVersion.OF_13);
        Random r = new Random(seed);
        RandomFlows flows = new RandomFlows(seed);
        List<OFFlowStatsEntry> entries = new ArrayList<>();
        for (int i = r.nextInt(300); i > 0; i--) {
            entries.add(r.nextInt(10) == 0 ? foreign(f, r, flows.flow()) : entry(f, r, withGroup(r, flows.flow())));
        }
        // Parts split at any entry (empty ones too), then the byte stream cut anywhere.
        List<byte[]> parts = new ArrayList<>();
        long xid = r.nextInt() & 0xffff_ffffL;
        for (int at = 0; ; ) {
            int n = Math.min(r.nextInt(40), entries.size() - at);
            boolean last = at + n == entries.size();
            parts.add(bytes(f.buildFlowStatsReply().setXid(xid).setEntries(entries.subList(at, at + n))
                    .setFlags(last ? Set.of() : Set.of(OFStatsReplyFlags.REPLY_MORE)).build()::writeTo));
            at += n;
            if (last) {
                break;
            }
        }
        List<Object> decoded = decode(r, parts);

        assertThat(decoded).hasSameSizeAs(parts);
        for (int i = 0; i < parts.size(); i++) {
            OFFlowStatsReply reference = (OFFlowStatsReply) openflowj(parts.get(i));
            List<FlowStat> expected = FlowStat.entriesOf(reference);
            assertThat(FlowStat.entriesOf(decoded.get(i))).as("part %d", i).isEqualTo(expected);
            if (decoded.get(i) instanceof FlowStat.Part p) {
                assertThat(p.xid()).isEqualTo(xid);
                assertThat(p.wireVersion()).isEqualTo(f.getVersion().getWireVersion());
                assertThat(p.more()).isEqualTo(reference.getFlags().contains(OFStatsReplyFlags.REPLY_MORE));
            } else {
                // Only a part holding a flow the model cannot express is left to openflowj.
                assertThat(expected).anyMatch(s -> s.foreign() != null);
            }
        }
    }

    @Test
    void aTableOfWeftsFlowsIsReadWithoutOpenflowj() {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_14);
        List<FlowRule> flows = SampleFlows.flows(30);
        Random r = new Random(1);
        List<OFFlowStatsEntry> entries = flows.stream().map(rule -> entry(f, r, rule)).toList();
        byte[] reply = bytes(f.buildFlowStatsReply().setXid(3).setEntries(entries).build()::writeTo);
        Object decoded = decode(r, List.of(reply)).get(0);
        assertThat(decoded).isInstanceOf(FlowStat.Part.class);
        assertThat(((FlowStat.Part) decoded).entries()).extracting(FlowStat::rule).isEqualTo(flows);
    }

    @Test
    void aTruncatedEntryIsRefused() {
        byte[] reply = sampleReply();
        byte[] cut = java.util.Arrays.copyOf(reply, reply.length - 20);
        setShort(cut, 2, cut.length);
        assertRefused(cut, "flow stats entry");
    }

    @Test
    void anEntryOfLengthZeroIsRefused() {
        byte[] reply = sampleReply();
        setShort(reply, FIRST_ENTRY, 0);
        assertRefused(reply, "flow stats entry's length 0");
    }

    @Test
    void anEntryLongerThanTheMessageIsRefused() {
        byte[] reply = sampleReply();
        setShort(reply, FIRST_ENTRY, reply.length);
        assertRefused(reply, "flow stats entry's length " + reply.length);
    }

    @Test
    void anOxmOfTheWrongLengthIsRefused() {
        byte[] reply = sampleReply();
        assertThat(reply[FIRST_OXM + 3]).as("in_port's OXM length").isEqualTo((byte) 4);
        reply[FIRST_OXM + 3] = 2;
        assertRefused(reply, "OXM IN_PORT of 2 bytes");
        reply[FIRST_OXM + 3] = (byte) 200;
        assertRefused(reply, "runs past its end");
    }

    @Test
    void anInstructionOfLengthZeroIsRefused() {
        byte[] reply = sampleReply();
        int instructions = FIRST_OXM - 4 + (getShort(reply, FIRST_OXM - 2) + 7 & ~7);
        setShort(reply, instructions + 2, 0);
        assertRefused(reply, "instruction of type");
    }

    /** {@link #sampleReply} broken one way or another, as {@link MalformedPeerTest} sends it. */
    static byte[] malformedReply(Random r) {
        byte[] reply = sampleReply();
        switch (r.nextInt(4)) {
            case 0 -> {
                reply = java.util.Arrays.copyOf(reply, reply.length - 1 - r.nextInt(40));
                setShort(reply, 2, reply.length);
            }
            case 1 -> setShort(reply, FIRST_ENTRY, r.nextInt(56));
            case 2 -> setShort(reply, FIRST_ENTRY, reply.length - FIRST_ENTRY + 1 + r.nextInt(100));
            default -> reply[FIRST_OXM + 3] = (byte) (r.nextBoolean() ? r.nextInt(4) : 100 + r.nextInt(150));
        }
        return reply;
    }

    // ---- helpers

    /** One reply of SampleFlows' first endpoint's flows; its first entry matches in_port first. */
    private static byte[] sampleReply() {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        Random r = new Random(2);
        List<OFFlowStatsEntry> entries = SampleFlows.flows(1).stream().skip(5).map(rule -> entry(f, r, rule))
                .toList();
        return bytes(f.buildFlowStatsReply().setXid(3).setEntries(entries).build()::writeTo);
    }

    private static void assertRefused(byte[] reply, String why) {
        EmbeddedChannel ch = new EmbeddedChannel(new OfMessageDecoder());
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(reply)))
                .isInstanceOf(DecoderException.class).hasMessageContaining(why);
        ch.finishAndReleaseAll();
    }

    /** What the pipeline's decoder makes of {@code parts}, fed in chunks cut at random. */
    private static List<Object> decode(Random r, List<byte[]> parts) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        parts.forEach(stream::writeBytes);
        byte[] all = stream.toByteArray();
        EmbeddedChannel ch = new EmbeddedChannel(new OfMessageDecoder());
        for (int at = 0; at < all.length; ) {
            int n = Math.min(all.length - at, 1 + r.nextInt(r.nextBoolean() ? 100 : 30_000));
            ch.writeInbound(Unpooled.copiedBuffer(all, at, n));
            at += n;
        }
        List<Object> out = new ArrayList<>();
        for (Object m; (m = ch.readInbound()) != null; ) {
            out.add(m);
        }
        assertThat(ch.finish()).isFalse();
        return out;
    }

    /** The stats entry a switch reports for {@code rule}, with counters. */
    private static OFFlowStatsEntry entry(OFFactory f, Random r, FlowRule rule) {
        OFFlowAdd add = (OFFlowAdd) new FlowTranslator(f).add(rule, 7);
        return f.buildFlowStatsEntry().setTableId(add.getTableId()).setPriority(add.getPriority())
                .setCookie(add.getCookie()).setMatch(add.getMatch()).setInstructions(add.getInstructions())
                .setDurationSec(r.nextInt(100_000)).setPacketCount(U64.of(r.nextLong()))
                .setByteCount(U64.of(r.nextLong())).build();
    }

    /** Sometimes a group action added (RandomFlows has none). */
    private static FlowRule withGroup(Random r, FlowRule rule) {
        if (r.nextInt(5) != 0) {
            return rule;
        }
        List<Instruction> is = new ArrayList<>(rule.instructions());
        is.removeIf(i -> i instanceof Instruction.ApplyActions);
        List<Action> actions = new ArrayList<>();
        rule.instructions().stream().filter(i -> i instanceof Instruction.ApplyActions)
                .forEach(i -> actions.addAll(((Instruction.ApplyActions) i).actions()));
        actions.add(new Action.Group(r.nextInt(0x7fff_ffff)));
        is.add(new Instruction.ApplyActions(actions));
        return new FlowRule(rule.tableId(), rule.priority(), rule.match(), is, rule.cookie());
    }

    /** A flow Weft would not write, of one kind or another. */
    private static OFFlowStatsEntry foreign(OFFactory f, Random r, FlowRule rule) {
        OFFlowStatsEntry e = entry(f, r, rule);
        return switch (r.nextInt(6)) {
            case 0 -> e.createBuilder().setIdleTimeout(1 + r.nextInt(100)).build();
            case 1 -> e.createBuilder().setHardTimeout(1 + r.nextInt(100)).build();
            case 2 -> e.createBuilder().setMatch(e.getMatch().createBuilder()
                    .setExact(MatchField.VLAN_VID, OFVlanVidMatch.ofVlan(1 + r.nextInt(4000))).build()).build();
            case 3 -> e.createBuilder().setInstructions(append(e.getInstructions(), f.instructions().clearActions()))
                    .build();
            case 4 -> e.createBuilder().setInstructions(append(e.getInstructions(), f.instructions().applyActions(
                    List.of(r.nextBoolean() ? f.actions().popVlan()
                            : f.actions().setField(f.oxms().ethSrcMasked(MacAddress.of(r.nextLong() & 0xff),
                                    MacAddress.of(0xff))))))).build();
            // The model refuses a match on nw_dst without eth_type=ip.
            default -> e.createBuilder().setMatch(f.buildMatch()
                    .setExact(MatchField.IPV4_DST, IPv4Address.of(r.nextInt())).build()).build();
        };
    }

    private static List<OFInstruction> append(List<OFInstruction> is, OFInstruction more) {
        List<OFInstruction> out = new ArrayList<>(is);
        out.removeIf(i -> more instanceof OFInstructionApplyActions && i instanceof OFInstructionApplyActions);
        out.add(more);
        return out;
    }

    private static OFMessage openflowj(byte[] message) {
        try {
            return OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(message));
        } catch (OFParseError e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        writer.accept(buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    static void setShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >> 8);
        b[at + 1] = (byte) value;
    }

    private static int getShort(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }
}
