package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every command of the operator's CLI run as {@code bin/weft} against the real controller ({@code bin/weft
 * controller}): what it prints and its exit status. The hosts are registered but never connect (no Open vSwitch is
 * needed): what is checked is what the REST API says and how the commands say it.
 */
class CliE2EIT {

    static WeftCli weft;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        weft = WeftCli.withController();
        work = weft.workDir();
    }

    @AfterAll
    static void stop() throws Exception {
        if (weft != null) {
            weft.close();
        }
    }

    private static WeftCli.Result ok(String... args) {
        WeftCli.Result r = weft.run(args);
        assertThat(r.status()).as("%s", r).isZero();
        assertThat(r.err()).as("%s", r).isEmpty();
        return r;
    }

    private static JsonNode json(String text) {
        return RenderingsTest.json(text);
    }

    @Test
    void hostsAreAddedListedInspectedAndRemoved() {
        assertThat(ok("host", "add", "ha1", "--tunnel-ip", "192.0.2.11").out()).isEqualTo("ha1\n");
        assertThat(ok("host", "add", "ha2", "--tunnel-ip", "192.0.2.12", "--datapath-type", "netdev").out())
                .isEqualTo("ha2\n");
        WeftCli.Result ls = ok("host", "ls");
        assertThat(ls.lines().get(0)).isEqualTo("NAME  TUNNEL IP   DATAPATH  OVSDB  OPENFLOW  FLOWS  IN SYNC");
        assertThat(ls.lines()).anyMatch(l -> l.matches("ha1   192\\.0\\.2\\.11  system    (down|-) .*"))
                .anyMatch(l -> l.matches("ha2   192\\.0\\.2\\.12  netdev    (down|-) .*"));
        JsonNode ha1 = json(ok("host", "inspect", "ha1").out());
        assertThat(ha1.path("datapathType").asText()).as("the default datapath").isEqualTo("system");
        assertThat(ha1.path("tunnelIp").asText()).isEqualTo("192.0.2.11");
        assertThat(ok("host", "rm", "ha1", "ha2").out()).isEqualTo("ha1\nha2\n");
        WeftCli.Result gone = weft.run("host", "inspect", "ha1");
        assertThat(gone.status()).as("%s", gone).isEqualTo(Exit.NOT_FOUND);
        assertThat(gone.err()).isEqualTo("weft: host ha1 does not exist\n");
    }

    @Test
    void networksAreCreatedWithDefaultsListedInspectedAndRemoved() {
        assertThat(ok("network", "create", "nb1", "--subnet", "10.70.0.0/24").out()).isEqualTo("nb1\n");
        assertThat(ok("network", "create", "nb2", "--subnet", "10.71.0.0/24", "--gateway", "10.71.0.254",
                "--subnet", "10.71.1.0/24", "--encap", "gre").out()).isEqualTo("nb2\n");
        JsonNode nb1 = json(ok("network", "inspect", "nb1").out());
        assertThat(nb1.path("encap").asText()).as("the default encap").isEqualTo("vxlan");
        assertThat(nb1.at("/subnets/0/gateway").asText()).as("the first address").isEqualTo("10.70.0.1");
        int vni1 = nb1.path("vni").asInt();
        int vni2 = json(ok("network", "inspect", "nb2").out()).path("vni").asInt();
        WeftCli.Result ls = ok("network", "ls");
        assertThat(ls.lines().get(0)).startsWith("NAME").contains("  VNI  ", "  ENCAP  ", "  SUBNETS  ")
                .endsWith("ENDPOINTS");
        assertThat(ls.lines()).anyMatch(l -> l.matches("nb1 +" + vni1 + " +vxlan +10\\.70\\.0\\.0/24 +0"))
                .anyMatch(l -> l.matches("nb2 +" + vni2 + " +gre +10\\.71\\.0\\.0/24,10\\.71\\.1\\.0/24 +0"));
        JsonNode listed = json(ok("network", "ls", "--format", "json").out());
        assertThat(listed.findValuesAsText("name")).contains("nb1", "nb2");
        assertThat(ok("network", "rm", "nb1", "nb2").out()).isEqualTo("nb1\nnb2\n");
        assertThat(weft.run("network", "inspect", "nb1").status()).isEqualTo(Exit.NOT_FOUND);
    }

    @Test
    void endpointsAreConnectedListedInspectedAndRemovedBothWays() {
        ok("host", "add", "hc1", "--tunnel-ip", "192.0.2.21");
        ok("network", "create", "nc", "--subnet", "10.72.0.0/24");
        assertThat(ok("network", "connect", "nc", "c1", "--host", "hc1", "--port", "veth-c1").out())
                .isEqualTo("c1\n");
        JsonNode c2 = json(ok("network", "connect", "nc", "c2", "--host", "hc1", "--port", "veth-c2",
                "--ip", "10.72.0.9", "--format", "json").out());
        assertThat(c2.path("mac").asText()).isEqualTo("02:42:0a:48:00:09");
        WeftCli.Result ls = ok("endpoint", "ls", "nc");
        assertThat(ls.lines()).containsExactly(
                "NAME  NETWORK  HOST  PORT     IP            MAC                STATE             NAMES",
                "c1    nc       hc1   veth-c1  10.72.0.2/24  02:42:0a:48:00:02  waiting-for-host  -",
                "c2    nc       hc1   veth-c2  10.72.0.9/24  02:42:0a:48:00:09  waiting-for-host  -");
        assertThat(ok("endpoint", "ls").lines()).contains(ls.lines().get(1), ls.lines().get(2));
        JsonNode c1 = json(ok("endpoint", "inspect", "nc", "c1").out());
        assertThat(c1.path("ip").asText()).isEqualTo("10.72.0.2");
        assertThat(c1.path("gateway").asText()).isEqualTo("10.72.0.1");
        assertThat(ok("network", "disconnect", "nc", "c1").out()).isEqualTo("c1\n");
        assertThat(ok("endpoint", "rm", "nc", "c2").out()).isEqualTo("c2\n");
        assertThat(ok("endpoint", "ls", "nc").lines()).hasSize(1);
        assertThat(weft.run("endpoint", "inspect", "nc", "c2").status()).isEqualTo(Exit.NOT_FOUND);
        ok("network", "rm", "nc");
        ok("host", "rm", "hc1");
    }

    @Test
    void aRefusedRequestPrintsTheControllersReasonOnOneLineAndExitsOne() {
        ok("network", "create", "nr", "--subnet", "10.73.0.0/24");
        WeftCli.Result again = weft.run("network", "create", "nr", "--subnet", "10.74.0.0/24");
        assertThat(again.status()).as("%s", again).isEqualTo(Exit.REFUSED);
        assertThat(again.out()).isEmpty();
        assertThat(again.err()).isEqualTo("weft: network nr already exists: delete it first or pick another name\n");
        WeftCli.Result bad = weft.run("network", "create", "nx", "--subnet", "10.75.0.0/24", "--encap", "geneve");
        assertThat(bad.status()).isEqualTo(Exit.REFUSED);
        assertThat(bad.err()).startsWith("weft: ").contains("vxlan or gre").hasLineCount(1);
        ok("network", "rm", "nr");
    }

    @Test
    void anUnreachableControllerExitsThree() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        WeftCli.Result r = weft.run("network", "ls", "--url", "http://127.0.0.1:" + closed);
        assertThat(r.status()).as("%s", r).isEqualTo(Exit.UNAVAILABLE);
        assertThat(r.err()).startsWith("weft: cannot reach Weft at http://127.0.0.1:" + closed).hasLineCount(1);
    }

    @Test
    void aUsageErrorExitsTwo() {
        WeftCli.Result r = weft.run("network", "create", "nu");
        assertThat(r.status()).isEqualTo(Exit.USAGE);
        assertThat(r.err()).contains("Missing required option: '--subnet=CIDR'");
    }

    @Test
    void aWaitedWriteThatAHostCannotAcknowledgeExitsFiveNamingIt() {
        ok("host", "add", "hw", "--tunnel-ip", "192.0.2.31");
        ok("network", "create", "nw", "--subnet", "10.76.0.0/24");
        WeftCli.Result r = weft.run("network", "connect", "nw", "cw", "--host", "hw", "--port", "veth-cw",
                "--wait-timeout", "300ms");
        assertThat(r.status()).as("%s", r).isEqualTo(Exit.PENDING);
        assertThat(r.out()).isEqualTo("cw\n");
        assertThat(r.err()).startsWith("weft: committed at revision").contains("hw (").hasLineCount(1);
        ok("endpoint", "rm", "nw", "cw");
        ok("network", "rm", "nw");
        ok("host", "rm", "hw");
    }

    @Test
    void flowsOfAHostShowDesiredBesideInstalled() {
        ok("host", "add", "hf", "--tunnel-ip", "192.0.2.41");
        WeftCli.Result r = ok("flows", "hf");
        assertThat(r.lines().get(0)).matches("host hf: (in sync|NOT in sync), \\d+ flows desired, 0 installed");
        assertThat(r.lines().get(1)).startsWith("TABLE  PRIORITY  COOKIE  STATE").endsWith("FLOW");
        assertThat(json(ok("flows", "hf", "--format", "json").out()).path("host").asText()).isEqualTo("hf");
        assertThat(weft.run("flows", "nohost").status()).isEqualTo(Exit.NOT_FOUND);
        ok("host", "rm", "hf");
    }

    @Test
    void clusterShowsASoleReplicaOnTheEmbeddedStore() {
        WeftCli.Result r = ok("cluster");
        assertThat(r.lines().get(0)).startsWith("leader: ").contains("(generation 0); store: embedded, writable");
        assertThat(r.lines().get(1)).startsWith("ID").contains("ROLE", "REST", "OPENFLOW");
        assertThat(r.lines()).hasSize(3);
        assertThat(r.lines().get(2)).contains(" *", "sole");
        assertThat(json(ok("cluster", "--format", "json").out()).path("role").asText()).isEqualTo("sole");
    }

    @Test
    void completionIsABashScriptThatKnowsTheCommands() {
        WeftCli.Result r = ok("completion");
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F", "network", "endpoint",
                "host", "flows", "trace", "events", "cluster", "connect", "disconnect", "--format");
    }

    // ---- weft events (its rendering is also tested on recorded streams in RenderingsTest and EventsCommandTest)

    @Test
    void eventsFollowsTheStreamOneLineEachAndAsJson() throws Exception {
        Path out = work.resolve("events.out");
        Path json = work.resolve("events.json");
        // An id that is not this controller's: each stream opens with `resync`, which says it is following.
        Process lines = weft.start(out, work.resolve("events.err"), "events", "--since", "0");
        Process raw = weft.start(json, work.resolve("events-json.err"), "events", "--since", "0", "--format", "json");
        try {
            await("both streams open").atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(out)
                    && Files.readString(out).contains("resync") && Files.isRegularFile(json)
                    && !Files.readString(json).isBlank());
            ok("network", "create", "ne", "--subnet", "10.77.0.0/24");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(out).lines()
                    .anyMatch(l -> l.contains("  network-created  network=ne")));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(json).lines()
                    .map(CliE2EIT::json).anyMatch(e -> e.path("network").asText().equals("ne")));
        } finally {
            lines.destroy();
            raw.destroy();
            lines.waitFor(10, TimeUnit.SECONDS);
            raw.waitFor(10, TimeUnit.SECONDS);
            weft.run("network", "rm", "ne");
        }
    }
}
