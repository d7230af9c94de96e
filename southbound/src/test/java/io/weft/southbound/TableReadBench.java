package io.weft.southbound;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Benchmark (not a test): what reading one switch's table back costs the controller's CPU, as a restart does it per
 * host: the flow-stats reply's parts read into {@link FlowRule}s, by {@link FlowStatsDecoder} (mode {@code weft}, what
 * the pipeline does) or as before by openflowj and then {@link FlowTranslator#parse} (mode {@code openflowj}). The
 * flows are shaped like an overlay host's (port, MAC, ARP and IPv4 flows under a network's metadata). The first pass
 * is the one a freshly started JVM pays (interpreter and first JIT tier); later passes are warm.
 *
 * <p>{@code scripts/run-test-main.sh southbound io.weft.southbound.TableReadBench [flows (24000)] [passes (5)]
 * [weft|openflowj (weft)]}
 */
public final class TableReadBench {

    public static void main(String[] args) throws Exception {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 24_000;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean openflowj = args.length > 2 && args[2].equals("openflowj");
        OFFactory f = OFFactories.getFactory(OFVersion.OF_14);
        List<byte[]> parts = replyParts(f, flows);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        OFMessageReader<OFMessage> reader = OFFactories.getGenericReader();
        for (int pass = 1; pass <= passes; pass++) {
            long decode = 0;
            long parse = 0;
            int parsed = 0;
            for (byte[] part : parts) {
                long c0 = cpu.getCurrentThreadCpuTime();
                if (!openflowj) {
                    for (FlowStat e : FlowStatsDecoder.decode(Unpooled.wrappedBuffer(part)).entries()) {
                        parsed += e.rule() != null ? 1 : 0;
                    }
                    decode += cpu.getCurrentThreadCpuTime() - c0;
                    continue;
                }
                OFFlowStatsReply reply = (OFFlowStatsReply) reader.readFrom(Unpooled.wrappedBuffer(part));
                long c1 = cpu.getCurrentThreadCpuTime();
                for (OFFlowStatsEntry e : reply.getEntries()) {
                    parsed += FlowTranslator.parse(e).isPresent() ? 1 : 0;
                }
                decode += c1 - c0;
                parse += cpu.getCurrentThreadCpuTime() - c1;
            }
            System.out.printf(Locale.ROOT,
                    "pass %d (%s): %d flows, decode %.0f ms, parse %.0f ms, total %.0f ms of CPU%n", pass,
                    openflowj ? "openflowj" : "weft", parsed, decode / 1e6, parse / 1e6, (decode + parse) / 1e6);
        }
    }

    /** The flows' stats reply in parts of 200 entries, as bytes off the wire. */
    private static List<byte[]> replyParts(OFFactory f, int flows) {
        FlowTranslator translator = new FlowTranslator(f);
        List<OFFlowStatsEntry> entries = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            OFFlowAdd add = (OFFlowAdd) translator.add(flow(i), 7);
            entries.add(f.buildFlowStatsEntry().setTableId(add.getTableId()).setPriority(add.getPriority())
                    .setCookie(add.getCookie()).setMatch(add.getMatch()).setInstructions(add.getInstructions())
                    .build());
        }
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < entries.size(); i += 200) {
            ByteBuf buf = Unpooled.buffer();
            f.buildFlowStatsReply().setXid(1).setEntries(entries.subList(i, Math.min(i + 200, entries.size())))
                    .build().writeTo(buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            parts.add(bytes);
        }
        return parts;
    }

    private static FlowRule flow(int i) {
        long mac = 0x0200_0000_0000L + i;
        long ip = 0x0a64_0000L + i;
        return switch (i % 4) {
            case 0 -> new FlowRule(10, 100, Match.builder().exact(Field.IN_PORT, i % 1000 + 1).exact(Field.ETH_SRC, mac)
                    .build(), List.of(Instruction.writeMetadata(i % 7, 0xffff), Instruction.gotoTable(20)), 7);
            case 1 -> new FlowRule(20, 200, Match.builder().masked(Field.METADATA, i % 7, 0xffff)
                    .exact(Field.ETH_DST, mac).build(), List.of(Instruction.apply(Action.output(i % 1000 + 1))), 7);
            case 2 -> new FlowRule(30, 300, Match.builder().masked(Field.METADATA, i % 7, 0xffff)
                    .exact(Field.ETH_TYPE, 0x0806).exact(Field.ARP_OP, 1).exact(Field.ARP_TPA, ip).build(),
                    List.of(Instruction.apply(Action.set(Field.ETH_SRC, mac), Action.output(0xffff_fff8L))), 7);
            default -> new FlowRule(40, 400, Match.builder().masked(Field.METADATA, i % 7, 0xffff)
                    .exact(Field.ETH_TYPE, 0x0800).exact(Field.IPV4_DST, ip).build(),
                    List.of(Instruction.apply(Action.set(Field.TUNNEL_ID, 5), Action.output(3))), 7);
        };
    }
}
