package io.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import io.weft.testbed.TestBedExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first-packet benchmark of issue 11 (BENCHMARKS.md), not part of the test suite: on three hosts, c1 (on h1) is
 * announced with {@code ?wait}, removed while it sends ARP requests and c2 (on h2) pings it, every millisecond or
 * two, and announced again with the same IP and MAC with {@code ?wait}; within a fraction of a millisecond of that
 * 201, c1 sends one ARP request for c2 (h1's flows answer it) and then one echo to c2 (h2's flows deliver it and
 * c2's reply), and the bench notes whether each answer came within 100 ms. c2 holds c1's MAC as a permanent
 * neighbour, so that c2's own ARP (retried after 1 s while unanswered) never decides the result. System properties:
 * {@code rounds} (100); {@code afterReply=revalidator-wait} runs {@code ovs-appctl revalidator/wait} on every host
 * between the reply and the ARP (what a controller cannot do: it needs each switch's own control socket);
 * {@code port=foreign} puts c1's port on br-int with {@code external_ids:iface-id=c1} before the first announce, as
 * an orchestrator does, so that it stays on br-int while c1 is removed (by default Weft adds and removes it).
 * {@code northbound-rest/bench-first-packet.sh} runs it as root; the result goes to the output and to
 * northbound-rest/target/bench-first-packet-results.md.
 */
class FirstPacketBench {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=3,containers=1");

    private static final int ROUNDS = Integer.getInteger("rounds", 100);
    private static final String AFTER_REPLY = System.getProperty("afterReply", "none");
    private static final boolean FOREIGN_PORT = System.getProperty("port", "weft").equals("foreign");

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void firstArpAfterWaitedReannounce() throws Exception {
        List<String> lost = new ArrayList<>();
        List<Double> arpMs = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        try (WeftProcess weft = new WeftProcess(Files.createTempDirectory("weft-bench-")).start()) {
            WeftClient api = weft.client();
            E2eSupport.provisionAllHosts(api, BED, "c2", "c3");
            BedContainer c1 = BED.container("c1");
            BedContainer c2 = BED.container("c2");
            BedHost h1 = BED.host(c1.host());
            String body = WeftClient.JSON.createObjectNode().put("name", c1.name()).put("host", c1.host())
                    .put("port", c1.hostInterface()).put("ip", c1.ip()).put("mac", c1.mac()).toString();
            if (FOREIGN_PORT) {
                h1.vsctl("add-port", "br-int", c1.hostInterface(), "--", "set", "Interface", c1.hostInterface(),
                        "external_ids:iface-id=" + c1.name()).orThrow();
            }
            c2.exec("ip", "neigh", "replace", c1.ip(), "lladdr", c1.mac(), "dev", c2.interfaceName(), "nud",
                    "permanent").orThrow();
            try (ArpProbe probe = ArpProbe.start(c1, c2.ip())) {
                api.announce(c1, "net1");
                E2eSupport.assertReaches(c1, c2);
                E2eSupport.assertReaches(c2, c1);
                assertThat(probe.one(1.0)).as("c1's ARP and echo answered once announced").startsWith("answered");
                for (int i = 0; i < ROUNDS; i++) {
                    CompletableFuture<String> spam = probe.spamAsync(0.3);
                    CompletableFuture<?> pings = CompletableFuture.runAsync(
                            () -> c2.exec("ping", "-q", "-i", "0.002", "-c", "150", "-W", "0.01", c1.ip()));
                    HttpResponse<String> removed = api.remove("net1", c1.name(), true);
                    assertThat(removed.statusCode()).as(removed.body()).isBetween(200, 299);
                    spam.get();
                    pings.get();
                    HttpResponse<String> again = api.announce("net1", body, true);
                    if (AFTER_REPLY.equals("revalidator-wait")) {
                        BED.hosts().forEach(h -> h.appctl("revalidator/wait").orThrow());
                    }
                    String result = probe.one(0.1);
                    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
                    loads.add(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
                    if (result.startsWith("lost")) {
                        lost.add("round " + (i + 1) + ": " + result + "; reply " + again.body());
                        System.out.println("round " + (i + 1) + ": " + result);
                    } else {
                        arpMs.add(Double.parseDouble(result.split(" ")[1]));
                    }
                }
            }
        }
        long arps = lost.stream().filter(l -> l.contains("lost arp")).count();
        String table = String.format(Locale.ROOT, "%d waited re-announces of c1 (same IP and MAC) right after its "
                + "removal while it sent ARP and c2 pinged it; c1's port %s; after the reply: %s; unanswered within 100 ms: first ARP "
                + "%d, first echo %d (of %d); ARP answered in %.2f ms p50, %.2f max; 1-minute load average %.1f-%.1f%n",
                ROUNDS, FOREIGN_PORT ? "kept on br-int (iface-id)" : "added and removed by Weft", AFTER_REPLY, arps, lost.size() - arps, ROUNDS,
                arpMs.stream().sorted().skip(arpMs.size() / 2).findFirst().orElse(Double.NaN),
                arpMs.stream().mapToDouble(d -> d).max().orElse(Double.NaN),
                loads.stream().mapToDouble(d -> d).min().orElse(0), loads.stream().mapToDouble(d -> d).max().orElse(0));
        System.out.println(table);
        lost.forEach(System.out::println);
        Files.writeString(Path.of("target", "bench-first-packet-results.md"), table);
    }

    /** arp-probe.py in a container's namespace, steered over its stdin. */
    private record ArpProbe(Process process, Writer in, BufferedReader out) implements AutoCloseable {

        static ArpProbe start(BedContainer c, String target) throws Exception {
            Path script = Files.createTempFile("weft-arp-probe-", ".py");
            try (var source = FirstPacketBench.class.getResourceAsStream("arp-probe.py")) {
                Files.write(script, source.readAllBytes());
            }
            Process p = new ProcessBuilder("nsenter", "--net=/proc/" + c.pid() + "/ns/net", "--", "/usr/bin/python3",
                    "-S", script.toString(), c.interfaceName(), c.mac(), c.ip(), target)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            ArpProbe probe = new ArpProbe(p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII),
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)));
            assertThat(probe.out.readLine()).isEqualTo("ready");
            Files.delete(script);
            return probe;
        }

        String one(double timeoutSeconds) throws Exception {
            in.write("one " + timeoutSeconds + "\n");
            in.flush();
            return out.readLine();
        }

        CompletableFuture<String> spamAsync(double seconds) throws Exception {
            in.write("spam " + seconds + "\n");
            in.flush();
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly().waitFor();
        }
    }
}
