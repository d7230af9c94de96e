package io.weft.southbound;

import io.weft.model.flow.FlowRule;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;

/**
 * One entry of a switch's table as read back: the flow as a model rule, or (when the model cannot express it) as a
 * foreign flow, with what it has matched. Exactly one of {@code rule} and {@code foreign} is set.
 */
record FlowStat(FlowRule rule, ForeignFlow foreign, long packetCount, long byteCount) {

    /** An entry decoded by openflowj (OpenFlow 1.0, or a part holding a flow Weft did not write). */
    static FlowStat of(OFFlowStatsEntry e) {
        long packets = e.getPacketCount().getValue();
        long bytes = e.getByteCount().getValue();
        return FlowTranslator.parse(e).map(r -> new FlowStat(r, null, packets, bytes))
                .orElseGet(() -> new FlowStat(null, new ForeignFlow(e.getTableId().getValue(), e.getPriority(),
                        e.getCookie().getValue(), e.getMatch()), packets, bytes));
    }

    /** The entries of one part of a flow-stats reply, as the decoder handed it on: read already or openflowj's. */
    static List<FlowStat> entriesOf(Object part) {
        if (part instanceof Part p) {
            return p.entries();
        }
        List<FlowStat> out = new ArrayList<>();
        for (OFFlowStatsEntry e : ((OFFlowStatsReply) part).getEntries()) {
            out.add(of(e));
        }
        return out;
    }

    /** One part of a flow-stats reply, already read into flows ({@link FlowStatsDecoder}). */
    record Part(int wireVersion, long xid, boolean more, List<FlowStat> entries) {
    }
}
