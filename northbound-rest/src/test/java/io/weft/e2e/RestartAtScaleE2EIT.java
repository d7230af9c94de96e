package io.weft.e2e;

import static io.weft.e2e.E2eSupport.assertReaches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedContainer;
import io.weft.testbed.BedHost;
import io.weft.testbed.ExecResult;
import io.weft.testbed.TestBedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18: a controller restart at scale rewrites nothing. Three hosts, 2,000 endpoints (the three containers,
 * bound, and the rest on ports that do not exist, so they never bind), containers pinging each other across tunnels
 * every 50 ms; the controller is SIGKILLed and started again five times, then once more while one host's
 * ovsdb-server restarts. No ping is lost and no flow on any host is installed again (its duration never resets).
 */
class RestartAtScaleE2EIT {

    private static final int ENDPOINTS = 2000;
    private static final Duration SYNC = Duration.ofSeconds(60);

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=3,containers=1");

    static WeftProcess weft;
    static WeftClient api;

    @BeforeAll
    static void provision() throws Exception {
        weft = new WeftProcess(Files.createTempDirectory("weft-e2e-")).start();
        api = weft.client();
        for (BedHost h : BED.hosts()) {
            api.addHost(h);
        }
        // The containers sit in the bed's 10.65.10.0/24; the other endpoints fill a second, routed subnet.
        api.addNetwork("net1", "vxlan", "10.65.10.0/24", "10.65.10.254", "10.66.0.0/20", "10.66.15.254");
        for (BedContainer c : BED.containers()) {
            api.announce(c, "net1");
        }
        List<BedHost> hosts = BED.hosts();
        for (int i = 0; i < ENDPOINTS - BED.containers().size(); i++) {
            String host = hosts.get(i % hosts.size()).name();
            api.expect(201, "POST", "/api/v1/networks/net1/endpoints", "{\"name\":\"x" + i + "\",\"host\":\"" + host
                    + "\",\"port\":\"nx" + i + "\"}");
        }
        awaitInSync(api.revision());
    }

    @AfterAll
    static void stop() throws Exception {
        weft.close();
    }

    @Test
    void restartsRewriteNoFlowAndLoseNoPing() throws Exception {
        List<BedContainer> cs = BED.containers();
        for (int i = 0; i < cs.size(); i++) {
            assertReaches(cs.get(i), cs.get((i + 1) % cs.size()));
        }
        Map<String, Map<String, Double>> before = ages();
        assertThat(before.values()).allSatisfy(flows -> assertThat(flows).hasSizeGreaterThan(ENDPOINTS));
        List<Pinger> pingers = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            pingers.add(Pinger.start(cs.get(i), cs.get((i + 1) % cs.size())));
        }

        for (int restart = 1; restart <= 5; restart++) {
            weft.kill9();
            weft.start();
            awaitInSync(api.revision());
            assertNothingReinstalled(before, "restart " + restart);
        }

        // Once more, with h2's ovsdb-server restarting while the controller starts.
        weft.kill9();
        CompletableFuture<Long> ovsdb = CompletableFuture.supplyAsync(() -> BED.bed().restartOvsdb("h2"));
        weft.start();
        ovsdb.get();
        awaitInSync(api.revision());
        assertNothingReinstalled(before, "restart with h2's ovsdb-server restarting");

        for (Pinger p : pingers) {
            p.awaitAnswered(Pinger.ANSWERED_BEFORE_STOP);
        }
        for (Pinger p : pingers) {
            PingTranscript t = p.stop();
            System.out.println("pings of " + p.from.name() + ": " + t.summary());
            assertThat(t.lost()).as("pings of %s across all restarts: %s", p.from.name(), t.summary()).isEmpty();
        }
    }

    private static void awaitInSync(long revision) {
        E2eSupport.awaitInSync(api, revision, BED.hosts(), SYNC);
    }

    private static Map<String, Map<String, Double>> ages() {
        Map<String, Map<String, Double>> ages = new HashMap<>();
        for (BedHost h : BED.hosts()) {
            ages.put(h.name(), E2eSupport.flowAges(h));
        }
        return ages;
    }

    private static void assertNothingReinstalled(Map<String, Map<String, Double>> before, String when) {
        for (BedHost h : BED.hosts()) {
            assertThat(h).as(when).satisfies(x -> E2eSupport.assertFlowsUntouched(x, before.get(x.name())));
        }
    }

    /**
     * A ping every 50 ms from one container to another, until stopped; its output goes to a file, so the test can
     * see replies come while it runs. Judged by {@link PingTranscript}: an echo still on its way when SIGINT comes is
     * not lost (ping's own summary counts it lost), and before the stop every pinger must have had a second of
     * answered echoes more, so a loss the restarts caused is never the echo left in flight.
     */
    private record Pinger(BedContainer from, Path pidFile, Path output, CompletableFuture<ExecResult> run) {

        static final Duration INTERVAL = Duration.ofMillis(50);
        static final Duration TIMEOUT = Duration.ofSeconds(1);
        static final int ANSWERED_BEFORE_STOP = (int) (TIMEOUT.toMillis() / INTERVAL.toMillis());

        static Pinger start(BedContainer from, BedContainer to) throws Exception {
            Path pidFile = Files.createTempFile("weft-ping-", ".pid");
            Path output = Files.createTempFile("weft-ping-", ".out");
            CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> from.exec(Duration.ofMinutes(10),
                    "sh", "-c", "echo $$ > " + pidFile + "; exec ping -D -i " + INTERVAL.toMillis() / 1000.0 + " -W " + TIMEOUT.toSeconds()
                            + " " + to.ip() + " > " + output));
            Pinger p = new Pinger(from, pidFile, output, run);
            p.awaitAnswered(1);
            return p;
        }

        /** Until {@code more} echoes are answered beyond those answered now. */
        void awaitAnswered(int more) throws Exception {
            long now = replies();
            await("ping from " + from.name() + " answered " + more + " more times").atMost(Duration.ofSeconds(20))
                    .until(() -> replies() >= now + more);
        }

        private long replies() throws Exception {
            return Files.readString(output).lines().filter(l -> l.contains(" bytes from ")).count();
        }

        PingTranscript stop() throws Exception {
            String pid = Files.readString(pidFile).trim();
            double stoppedAt = System.currentTimeMillis() / 1000.0;
            from.exec("kill", "-INT", pid).orThrow();
            run.get();
            String out = Files.readString(output);
            Files.deleteIfExists(output);
            Files.deleteIfExists(pidFile);
            return PingTranscript.parse(out, stoppedAt, INTERVAL, TIMEOUT);
        }
    }
}
