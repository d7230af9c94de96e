package io.weft.bench;

import io.weft.northbound.rest.WeftClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The REST and store part of an announce on an idle controller (issue 11): {@code bin/weft controller} with hosts
 * and one network registered but no switch connected, so nothing but the request, the validation, the durable
 * commit (fsync) and the reply is timed. Sequential {@code POST .../endpoints} without {@code ?wait}, each followed by
 * its {@code DELETE}, over one kept-alive connection; the client's wall time per call.
 *
 * <p>Arguments: {@code --work-dir DIR --weft bin/weft [--existing 2000] [--samples 3000] [--warmup 1000]}.
 */
public final class WritePathBench {

    public static void main(String[] args) throws Exception {
        Path work = null;
        Path weft = null;
        int existing = 2000;
        int samples = 3000;
        int warmup = 1000;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--work-dir" -> work = Path.of(args[i + 1]);
                case "--weft" -> weft = Path.of(args[i + 1]);
                case "--existing" -> existing = Integer.parseInt(args[i + 1]);
                case "--samples" -> samples = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (work == null || weft == null) {
            throw new IllegalArgumentException("--work-dir and --weft are required");
        }
        Files.createDirectories(work);
        try (BenchController controller = BenchController.start(weft, work.resolve("controller"))) {
            WeftClient api = controller.client();
            for (int h = 1; h <= 10; h++) {
                api.created(WeftClient.API + "/hosts", "{\"name\":\"h" + h + "\",\"tunnelIp\":\"172.31.1." + h
                        + "\",\"datapathType\":\"netdev\"}");
            }
            api.addNetwork("bench", "vxlan", "10.64.0.0/16", "10.64.0.1");
            for (int i = 0; i < existing; i++) {
                api.created(WeftClient.API + "/networks/bench/endpoints", WeftClient.endpoint("x" + i,
                        "h" + (1 + i % 10), "px" + i));
            }
            List<Double> announce = new ArrayList<>();
            List<Double> remove = new ArrayList<>();
            for (int i = 0; i < warmup + samples; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> a = api.announce("bench", WeftClient.endpoint("e" + i, "h" + (1 + i % 10),
                        "pe" + i), false);
                long t1 = System.nanoTime();
                HttpResponse<String> d = api.remove("bench", "e" + i, false);
                long t2 = System.nanoTime();
                if (a.statusCode() != 201 || d.statusCode() / 100 != 2) {
                    throw new IllegalStateException("announce " + a.statusCode() + " " + a.body() + ", delete "
                            + d.statusCode() + " " + d.body());
                }
                if (i >= warmup) {
                    announce.add((t1 - t0) / 1e6);
                    remove.add((t2 - t1) / 1e6);
                }
            }
            String table = String.format("Idle controller, 10 hosts registered (none connected), %d existing endpoints,"
                    + " %d sequential announce + delete pairs after %d warm-up pairs, one kept-alive connection:%n%n"
                    + "%s%n%s%n%s%n", existing, samples, warmup, Stats.header(),
                    Stats.of(announce).row("POST endpoint, no wait (commit + fsync)"),
                    Stats.of(remove).row("DELETE endpoint, no wait (commit + fsync)"));
            System.out.println(table);
            Files.writeString(work.resolve("results.md"), table);
        }
    }
}
