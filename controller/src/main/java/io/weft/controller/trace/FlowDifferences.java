package io.weft.controller.trace;

import io.weft.controller.trace.PacketTrace.Difference;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.OfctlFormat;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What Weft wants on a host against what its switch holds, as flow lines an operator reads. */
final class FlowDifferences {

    private FlowDifferences() {
    }

    /** Empty when the switch holds exactly the desired flows. */
    static Optional<Difference> of(String host, Collection<FlowRule> desired, Collection<FlowRule> installed) {
        Set<FlowRule> want = new HashSet<>(desired);
        Set<FlowRule> have = new HashSet<>(installed);
        List<String> missing = desired.stream().filter(f -> !have.contains(f)).map(OfctlFormat::flow).sorted()
                .toList();
        List<String> unexpected = installed.stream().filter(f -> !want.contains(f)).map(OfctlFormat::flow).sorted()
                .toList();
        return missing.isEmpty() && unexpected.isEmpty() ? Optional.empty()
                : Optional.of(new Difference(host, missing, unexpected));
    }
}
