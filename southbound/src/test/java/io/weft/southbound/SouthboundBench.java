package io.weft.southbound;

import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.OfctlFormat;
import io.weft.testbed.OvsSandbox;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Benchmark (not a test): 100k flows into one userspace OVS through Weft's southbound, beside
 * {@code ovs-ofctl --bundle add-flows} of the same flows into a second bridge of the same ovs-vswitchd; then the
 * latency of single-flow changes and the controller heap per 100k tracked flows. Run with southbound/bench.sh.
 *
 * <p>Arguments: {@code [flows (default 100000)] [OF_14|OF_13] [samples (default 2000)]}.
 */
public final class SouthboundBench {

    public static void main(String[] args) throws Exception {
        int target = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        OFVersion version = args.length > 1 ? OFVersion.valueOf(args[1]) : OFVersion.OF_14;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        RecordingListener listener = new RecordingListener();
        try (OvsSandbox ovs = OvsSandbox.start();
             OpenFlowServer server = new OpenFlowServer(listener, ChannelConfig.defaults().withMaxVersion(version))) {
            String sock = "unix:" + ovs.dir().resolve("of.sock");
            server.start(List.of(sock));
            TestBridge.create(ovs, sock, "OpenFlow13,OpenFlow14");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!listener.connected.containsKey(0xa1L)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("switch did not connect");
                }
                Thread.onSpinWait();
            }
            SwitchHandle sw = listener.connected.get(0xa1L);
            TableDriver p = new TableDriver(sw);
            System.out.printf(Locale.ROOT, "switch connected, %s, target %d flows%n",
                    sw.atomicUpdates() ? "OpenFlow 1.4 bundles" : "OpenFlow 1.3 pipelined", target);

            long heapBase = usedAfterGc(mem);
            List<FlowRule> flows = SampleFlows.flows((target - 5) / 7);
            System.out.printf(Locale.ROOT, "generated %d flows%n", flows.size());

            // Ours: one read of the (empty) table, the diff, one bundle (or pipelined + barrier), acknowledged.
            long t0 = System.nanoTime();
            ApplyResult r = p.apply(flows);
            double ours = (System.nanoTime() - t0) / 1e9;
            String agg = ovs.ofctl("-O", "OpenFlow13", "dump-aggregate", ovs.mgmt("br-int"));
            System.out.printf(Locale.ROOT, "weft apply: %d flow-mods acknowledged in %.3f s = %.0f flow-mods/s (%s)%n",
                    r.added(), ours, r.added() / ours, agg.trim().replace('\n', ' '));

            // Again with a warm JIT: remove everything (one apply of nothing), then the same flows once more.
            ApplyResult cleared = p.apply(List.of());
            long tw = System.nanoTime();
            ApplyResult warm = p.apply(flows);
            double warmS = (System.nanoTime() - tw) / 1e9;
            System.out.printf(Locale.ROOT, "weft apply, warm (after deleting %d in %.3f s): %d flow-mods acknowledged"
                    + " in %.3f s = %.0f flow-mods/s%n", cleared.deleted(), cleared.duration().toNanos() / 1e9,
                    warm.added(), warmS, warm.added() / warmS);

            // ovs-ofctl --bundle add-flows of the same flows into a second bridge in the same ovs-vswitchd.
            ovs.vsctl("add-br", "br-ofctl", "--", "set", "bridge", "br-ofctl", "datapath_type=netdev",
                    "fail_mode=secure", "protocols=OpenFlow13,OpenFlow14");
            Path file = ovs.dir().resolve("flows.txt");
            Files.write(file, flows.stream().map(SouthboundBench::ofctlLine).toList());
            String ofctlMgmt = ovs.mgmt("br-ofctl");
            long t1 = System.nanoTime();
            ovs.ofctl("-O", "OpenFlow14", "--bundle", "add-flows", ofctlMgmt, file.toString());
            double ofctl = (System.nanoTime() - t1) / 1e9;
            String agg2 = ovs.ofctl("-O", "OpenFlow13", "dump-aggregate", ofctlMgmt);
            System.out.printf(Locale.ROOT, "ovs-ofctl --bundle add-flows: %.3f s = %.0f flows/s (%s) [process start"
                    + " and text parsing included]%n", ofctl, flows.size() / ofctl, agg2.trim().replace('\n', ' '));

            // A fresh read of the whole table and a full diff: what a reconnect costs when nothing changed.
            long t2 = System.nanoTime();
            p.reread();
            long before = sw.flowModsSent();
            p.apply(flows);
            System.out.printf(Locale.ROOT, "read back and diff %d flows: %.1f ms, %d flow-mods%n", flows.size(),
                    (System.nanoTime() - t2) / 1e6, sw.flowModsSent() - before);

            // Heap held by what the switch state tracks (desired and installed: two maps over shared rules).
            int tracked = flows.size();
            flows = null;
            long heap = usedAfterGc(mem) - heapBase;
            System.out.printf(Locale.ROOT, "controller heap for %d tracked flows: %.1f MiB (%.0f bytes/flow)%n",
                    tracked, heap / 1048576.0, (double) heap / tracked);

            // Single-flow change latency: one key changed, sent and acknowledged.
            List<FlowRule> desired = new ArrayList<>(p.installed());
            latency("single-flow change on a table of " + desired.size(), p, desired.get(desired.size() / 3),
                    samples);
            // Same on a small table: what the wire and OVS cost without a large table.
            p.apply(desired.subList(0, 1000));
            latency("single-flow change on a table of 1000", p, desired.get(500), samples);
        }
    }

    private static void latency(String what, TableDriver p, FlowRule original, int samples) throws Exception {
        long[] ns = new long[samples];
        FlowRule current = original;
        for (int i = 0; i < samples + 50; i++) {
            FlowRule changed = new FlowRule(original.tableId(), original.priority(), original.match(),
                    List.of(Instruction.apply(io.weft.model.flow.Action.output(2000 + (i % 2)))), original.cookie());
            long t = System.nanoTime();
            ApplyResult r = p.change(List.of(current), List.of(changed));
            long d = System.nanoTime() - t;
            current = changed;
            if (r.modified() != 1) {
                throw new IllegalStateException("expected one modify, got " + r);
            }
            if (i >= 50) {
                ns[i - 50] = d;
            }
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "%s: %d samples, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", what, samples,
                ns[samples / 2] / 1e6, ns[(int) (samples * 0.99)] / 1e6, ns[samples - 1] / 1e6);
    }

    private static String ofctlLine(FlowRule r) {
        return OfctlFormat.flow(r).replace(", ", ",").replace(" actions=", ",actions=");
    }

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    private SouthboundBench() {
    }

}
