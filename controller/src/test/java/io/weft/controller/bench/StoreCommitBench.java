package io.weft.controller.bench;

import io.weft.controller.store.Mutation;
import io.weft.controller.store.MvStore;
import io.weft.controller.store.StoreState;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * One {@link MvStore} commit, nothing else: the latency of making one mutation durable, with and without fsync, with
 * {@code existing} endpoints already stored. Operations alternate between adding an endpoint and removing it. At the
 * end of each trial it prints the store file's chunk count and the bytes written per commit ({@code /proc/self/io}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreCommitBench {

    @Param({"true", "false"})
    public boolean fsync;

    @Param({"2000"})
    public int existing;

    private Path dir;
    private MvStore store;
    private long n;
    private long writtenBefore;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("weft-commit-bench-");
        store = MvStore.open(dir, fsync);
        List<Mutation> initial = new ArrayList<>();
        initial.add(new Mutation.PutHost(Host.of("h1", "172.31.1.1")));
        for (int i = 0; i < existing; i++) {
            initial.add(new Mutation.PutEndpoint(endpoint(i)));
        }
        store.commit(0, initial);
        writtenBefore = bytesWritten();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%nstore file after %d commits: %d chunks; %d bytes written per commit (/proc/self/io)%n", n,
                store.chunkCount(), n == 0 ? 0 : (bytesWritten() - writtenBefore) / n);
        store.close();
        BenchDirs.delete(dir);
    }

    @Benchmark
    public StoreState commitOneMutation() throws Exception {
        StoreState s = store.current();
        Mutation m = (n++ & 1) == 0 ? new Mutation.PutEndpoint(endpoint(existing))
                : new Mutation.DeleteEndpoint(new EndpointId("red", "e" + existing));
        return store.commit(s.revision(), List.of(m));
    }

    /** What this process has written so far (wchar: every write call's bytes, page cache or not). */
    private static long bytesWritten() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring("wchar:".length()).trim());
            }
        }
        return -1;
    }

    private static Endpoint endpoint(int i) {
        Ipv4Address ip = Ipv4Address.parse("10.0." + (i >> 8 & 255) + "." + (i & 255));
        return new Endpoint(new EndpointId("red", "e" + i), "h1", "p" + i, MacAddress.fromIpv4(ip), ip);
    }
}
