package io.weft.bench;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.EtcdCluster;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST and store part of an announce on an idle controller (issue 11), per store (issue 16): {@code bin/weft
 * controller} with hosts and one network registered but no switch connected, so nothing but the request, the
 * validation, the durable commit (fsync, or an etcd transaction and its watch) and the reply is timed. Sequential
 * {@code POST .../endpoints} without {@code ?wait}, each followed by its {@code DELETE}, over one kept-alive
 * connection; the client's wall time per call. Then sustained writes: {@code --writers} clients announcing at once,
 * announces per second. Per endpoint: the controller's heap after a full GC, and for etcd the database size (after
 * compaction and defragmentation), both measured across the existing endpoints.
 *
 * <p>Arguments: {@code --work-dir DIR --weft bin/weft [--stores embedded,etcd] [--existing 2000] [--samples 3000]
 * [--warmup 1000] [--writers 8] [--sustained 4000]}. With etcd, a 3-member cluster of Debian's etcd on loopback.
 */
public final class WritePathBench {

    private static final Pattern DB_SIZE = Pattern.compile("\"dbSize\":(\\d+)");

    public static void main(String[] args) throws Exception {
        Path work = null;
        Path weft = null;
        List<String> stores = List.of("embedded", "etcd");
        int existing = 2000;
        int samples = 3000;
        int warmup = 1000;
        int writers = 8;
        int sustained = 4000;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--work-dir" -> work = Path.of(args[i + 1]);
                case "--weft" -> weft = Path.of(args[i + 1]);
                case "--stores" -> stores = List.of(args[i + 1].split(","));
                case "--existing" -> existing = Integer.parseInt(args[i + 1]);
                case "--samples" -> samples = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--writers" -> writers = Integer.parseInt(args[i + 1]);
                case "--sustained" -> sustained = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (work == null || weft == null) {
            throw new IllegalArgumentException("--work-dir and --weft are required");
        }
        Files.createDirectories(work);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "Idle controller, 10 hosts registered (none"
                + " connected), %d warm-up announce + delete pairs, then %d existing endpoints, %d sequential announce + "
                + "delete pairs, one kept-alive connection; then %d announces from %d concurrent clients. Load average at start: "
                + "%s%n%n%s%n", warmup, existing, samples, sustained, writers, CpuProbe.loadAverage(), Stats.header()));
        List<String> perStore = new ArrayList<>();
        EtcdCluster etcd = stores.contains("etcd") ? EtcdCluster.start(3, work) : null;
        try {
            for (String store : stores) {
                Optional<String> uri = store.equals("etcd") ? Optional.of(etcd.storeUri() + "/bench")
                        : Optional.empty();
                if (!store.equals("etcd") && !store.equals("embedded")) {
                    throw new IllegalArgumentException("unknown store " + store + ": embedded or etcd");
                }
                try (BenchController controller = BenchController.start(weft, work.resolve("controller-" + store),
                        uri)) {
                    WeftClient api = controller.client();
                    for (int h = 1; h <= 10; h++) {
                        api.created(WeftClient.API + "/hosts", "{\"name\":\"h" + h + "\",\"tunnelIp\":\"172.31.1." + h
                                + "\",\"datapathType\":\"netdev\"}");
                    }
                    api.addNetwork("bench", "vxlan", "10.64.0.0/16", "10.64.0.1");
                    // Warm-up first, so that what the write path keeps whatever the count (code, buffer pools,
                    // caches) is in both heap measurements and only the endpoints differ.
                    announceAndDelete(api, "w", warmup);
                    long heapBefore = HeapProbe.usedAfterGcBytes(controller.pid());
                    long dbBefore = etcd == null || uri.isEmpty() ? 0 : compactedDbSize(etcd);
                    for (int i = 0; i < existing; i++) {
                        api.created(WeftClient.API + "/networks/bench/endpoints", WeftClient.endpoint("x" + i,
                                "h" + (1 + i % 10), "px" + i));
                    }
                    long heapAfter = HeapProbe.usedAfterGcBytes(controller.pid());
                    long dbAfter = etcd == null || uri.isEmpty() ? 0 : compactedDbSize(etcd);
                    List<Double>[] timed = announceAndDelete(api, "e", samples);
                    List<Double> announce = timed[0];
                    List<Double> remove = timed[1];
                    double perSecond = sustainedAnnounces(api, writers, sustained);
                    String durable = store.equals("etcd") ? "etcd txn + watch" : "commit + fsync";
                    table.append(Stats.of(announce).row(store + ": POST endpoint, no wait (" + durable + ")"))
                            .append('\n')
                            .append(Stats.of(remove).row(store + ": DELETE endpoint, no wait")).append('\n');
                    perStore.add(String.format(Locale.ROOT, "- %s: %.0f announces/s sustained (%d clients); heap %.0f "
                            + "bytes per endpoint%s", store, perSecond, writers,
                            (heapAfter - heapBefore) / (double) Math.max(1, existing),
                            uri.isEmpty() ? "" : String.format(Locale.ROOT, "; etcd database %.0f bytes per endpoint "
                                    + "(%d -> %d bytes, compacted and defragmented)",
                                    (dbAfter - dbBefore) / (double) Math.max(1, existing), dbBefore, dbAfter)));
                }
            }
        } finally {
            if (etcd != null) {
                etcd.close();
            }
        }
        table.append('\n').append(String.join("\n", perStore)).append("\n\nLoad average at the end: ")
                .append(CpuProbe.loadAverage()).append('\n');
        System.out.println(table);
        Files.writeString(work.resolve("results.md"), table);
    }

    /** {@code pairs} sequential announces, each followed by its delete; their times in ms. */
    @SuppressWarnings("unchecked")
    private static List<Double>[] announceAndDelete(WeftClient api, String prefix, int pairs) {
        List<Double> announce = new ArrayList<>();
        List<Double> remove = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> a = api.announce("bench", WeftClient.endpoint(prefix + i, "h" + (1 + i % 10),
                    "p" + prefix + i), false);
            long t1 = System.nanoTime();
            HttpResponse<String> d = api.remove("bench", prefix + i, false);
            long t2 = System.nanoTime();
            if (a.statusCode() != 201 || d.statusCode() / 100 != 2) {
                throw new IllegalStateException("announce " + a.statusCode() + " " + a.body() + ", delete "
                        + d.statusCode() + " " + d.body());
            }
            announce.add((t1 - t0) / 1e6);
            remove.add((t2 - t1) / 1e6);
        }
        return new List[] {announce, remove};
    }

    /** Announces {@code total} endpoints from {@code writers} threads at once; announces per second. */
    private static double sustainedAnnounces(WeftClient api, int writers, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = writer; i < total; i += writers) {
                        HttpResponse<String> a = api.announce("bench", WeftClient.endpoint("s" + i,
                                "h" + (1 + i % 10), "ps" + i), false);
                        if (a.statusCode() != 201) {
                            throw new IllegalStateException("announce " + a.statusCode() + " " + a.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return total / ((System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One member's database size after compacting to the current revision and defragmenting every member. */
    private static long compactedDbSize(EtcdCluster etcd) throws Exception {
        String status = etcd.etcdctl("endpoint", "status", "-w", "json").orThrow().stdout();
        Matcher revision = Pattern.compile("\"revision\":(\\d+)").matcher(status);
        if (!revision.find()) {
            throw new IllegalStateException("no revision in " + status);
        }
        etcd.etcdctl("compact", revision.group(1)).orThrow();
        etcd.etcdctl("defrag").orThrow();
        Matcher size = DB_SIZE.matcher(etcd.etcdctl("endpoint", "status", "-w", "json").orThrow().stdout());
        if (!size.find()) {
            throw new IllegalStateException("no dbSize in etcdctl endpoint status");
        }
        return Long.parseLong(size.group(1));
    }
}
