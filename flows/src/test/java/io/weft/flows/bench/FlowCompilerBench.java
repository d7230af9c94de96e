package io.weft.flows.bench;

import io.weft.flows.FlowCompiler;
import io.weft.flows.SnapshotChange;
import io.weft.flows.FlowDelta;
import io.weft.flows.HostFlows;
import io.weft.model.Endpoint;
import io.weft.model.NetworkSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * 100 hosts, 50 networks, 10k endpoints: full compile of one host, and the all-hosts delta for one endpoint added
 * or removed (both the per-endpoint fast path and the general snapshot diff). Run with {@code flows/bench.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FlowCompilerBench {

    @Param("100")
    int hosts;
    @Param("50")
    int networks;
    @Param("10000")
    int endpoints;

    NetworkSnapshot base;
    NetworkSnapshot withExtra;
    Endpoint extra;
    String busiestHost;

    @Setup
    public void setup() {
        BenchTopology t = new BenchTopology(hosts, networks, endpoints);
        extra = t.newEndpoint(3, "h7");
        base = t.snapshot(1, t.endpoints);
        List<Endpoint> more = new ArrayList<>(t.endpoints);
        more.add(extra);
        withExtra = t.snapshot(2, more);
        busiestHost = "h7";
    }

    @Benchmark
    public HostFlows compileOneHost() {
        return FlowCompiler.compile(base, busiestHost);
    }

    @Benchmark
    public Map<String, FlowDelta> endpointAddedFastPath() {
        return FlowCompiler.delta(base, withExtra, new SnapshotChange(false, Set.of(extra.id()), Map.of(), Set.of()));
    }

    @Benchmark
    public Map<String, FlowDelta> endpointRemovedFastPath() {
        return FlowCompiler.delta(withExtra, base, new SnapshotChange(false, Set.of(extra.id()), Map.of(), Set.of()));
    }

    @Benchmark
    public Map<String, FlowDelta> endpointAddedSnapshotDiff() {
        return FlowCompiler.delta(base, withExtra);
    }

    @Benchmark
    public Map<String, FlowDelta> endpointRemovedSnapshotDiff() {
        return FlowCompiler.delta(withExtra, base);
    }
}
