package io.weft.controller.bench;

import io.weft.controller.intent.EndpointSpec;
import io.weft.controller.intent.HostSpec;
import io.weft.controller.intent.IntentService;
import io.weft.controller.intent.NetworkSpec;
import io.weft.controller.store.MvStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The write path without REST or switches: {@link IntentService} validating and allocating, on the embedded
 * {@link MvStore} with and without fsync, with 10 hosts and {@code existing} endpoints already committed. One
 * operation is an announce (IP and MAC allocated) and its removal: two commits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IntentBench {

    @Param({"true", "false"})
    public boolean fsync;

    @Param({"2000"})
    public int existing;

    private Path dir;
    private MvStore store;
    private IntentService intents;
    private final AtomicLong next = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("weft-intent-bench-");
        store = MvStore.open(dir, fsync);
        intents = new IntentService(store);
        for (int h = 1; h <= 10; h++) {
            intents.createHost(new HostSpec("h" + h, "172.31.1." + h, "tcp:172.31.1." + h + ":6640", "netdev", null));
        }
        intents.createNetwork(new NetworkSpec("red", List.of(new NetworkSpec.SubnetSpec("10.0.0.0/16",
                "10.0.255.254")), "vxlan", null, null));
        for (int i = 0; i < existing; i++) {
            intents.announceEndpoint("red", new EndpointSpec("e" + i, "h" + (1 + i % 10), "p" + i, null, null));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        BenchDirs.delete(dir);
    }

    @Benchmark
    @Threads(1)
    public long announceAndRemoveOneWriter() {
        return announceAndRemove();
    }

    @Benchmark
    @Threads(32)
    public long announceAndRemove32Writers() {
        return announceAndRemove();
    }

    private long announceAndRemove() {
        long n = next.incrementAndGet();
        String name = "b" + n;
        intents.announceEndpoint("red", new EndpointSpec(name, "h" + (1 + n % 10), "q" + n, null, null));
        return intents.removeEndpoint("red", name).revision();
    }
}
