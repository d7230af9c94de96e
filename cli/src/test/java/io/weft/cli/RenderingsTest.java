package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Each table and text against a reply recorded from the API (or, for trace, the contract's shape). */
class RenderingsTest {

    static JsonNode json(String text) {
        try {
            return WeftRest.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void networksAsDockerListsThem() {
        JsonNode networks = json("""
                [{"name":"green","vni":2,"encap":"gre","mtu":1458,"subnets":[{"cidr":"10.65.10.0/24",
                  "gateway":"10.65.10.254"},{"cidr":"10.65.20.0/24","gateway":"10.65.20.1"}],"endpoints":0},
                 {"name":"red","vni":1,"encap":"vxlan","mtu":1450,"subnets":[{"cidr":"10.65.10.0/24",
                  "gateway":"10.65.10.1"}],"endpoints":2}]""");
        assertThat(Renderings.networks(networks).lines()).containsExactly(
                "NAME   VNI  ENCAP  SUBNETS                      ENDPOINTS",
                "green  2    gre    10.65.10.0/24,10.65.20.0/24  0",
                "red    1    vxlan  10.65.10.0/24                2");
    }

    @Test
    void clusterNamesTheLeaderTheStoreAndMarksTheAnsweringReplica() {
        JsonNode cluster = json("""
                {"self":"r2","role":"follower","leader":{"id":"r1","generation":42},
                 "replicas":[{"id":"r1","restUrl":"http://127.0.0.1:8081","openflowTarget":"unix:/run/r1.sock",
                   "startedAt":"2026-11-29T10:00:00Z","version":"0.1.0"},
                  {"id":"r2","restUrl":"http://127.0.0.1:8082","openflowTarget":"unix:/run/r2.sock",
                   "startedAt":"2026-11-29T10:00:01Z","version":"0.1.0"}],
                 "store":{"kind":"etcd","writable":false,"detail":"no quorum"}}""");
        assertThat(Renderings.cluster(cluster)).containsExactly(
                "leader: r1 (generation 42); store: etcd, not writable: no quorum",
                "ID    ROLE      REST                   OPENFLOW           STARTED",
                "r1    leader    http://127.0.0.1:8081  unix:/run/r1.sock  2026-11-29T10:00:00Z",
                "r2 *  follower  http://127.0.0.1:8082  unix:/run/r2.sock  2026-11-29T10:00:01Z");
    }

    @Test
    void hostsWithTheirConnectionsOrDashesBeforeTheControllerHasAStatus() {
        JsonNode hosts = json("""
                [{"name":"h1","tunnelIp":"172.31.1.11","ovsdb":"unix:/run/h1/db.sock","datapathType":"netdev",
                  "status":{"ovsdbConnected":true,"openflowConnected":true,"tunnelPorts":["vxlan-h2","gre-h2"],
                  "flowsDesired":24,"flowsInstalled":24,"inSync":true,"appliedRevision":7}},
                 {"name":"h2","tunnelIp":"192.168.1.12","datapathType":"system",
                  "status":{"ovsdbConnected":true,"openflowConnected":false,"flowsDesired":24,"flowsInstalled":3,
                  "inSync":false}},
                 {"name":"h3","tunnelIp":"192.168.1.13","datapathType":"system"}]""");
        assertThat(Renderings.hosts(hosts).lines()).containsExactly(
                "NAME  TUNNEL IP     DATAPATH  OVSDB  OPENFLOW  FLOWS  IN SYNC",
                "h1    172.31.1.11   netdev    up     up        24/24  yes",
                "h2    192.168.1.12  system    up     down      3/24   no",
                "h3    192.168.1.13  system    -      -         -      -");
    }

    @Test
    void endpointsWithTheirAddressBindingAndDnsNamesHostnameFirstEachOnce() {
        JsonNode endpoints = json("""
                [{"name":"c1","network":"red","host":"h1","port":"veth-c1","ip":"10.65.10.2","mac":"02:42:0a:41:0a:02",
                  "gateway":"10.65.10.1","mtu":1450,"prefixLength":24,"binding":"bound","ofport":3,"aliases":[]},
                 {"name":"c2","network":"red","host":"h1","port":"veth-c2","ip":"10.65.10.3","mac":"02:42:0a:41:0a:03",
                  "prefixLength":24,"binding":"bound","aliases":["Web1","abc123"],"hostname":"web1"},
                 {"name":"c3","network":"red","host":"h2","port":"veth-c3","ip":"10.65.10.4","mac":"02:42:0a:41:0a:04",
                  "prefixLength":24,"binding":"bound","aliases":["www","api"]},
                 {"name":"c4","network":"red","host":"h2","port":"veth-c4","ip":"10.65.10.5","mac":"02:42:0a:41:0a:05",
                  "prefixLength":24,"binding":"bound","aliases":[],"hostname":"db"}]""");
        assertThat(Renderings.endpoints(endpoints).lines()).containsExactly(
                "NAME  NETWORK  HOST  PORT     IP             MAC                STATE  NAMES",
                "c1    red      h1    veth-c1  10.65.10.2/24  02:42:0a:41:0a:02  bound  -",
                "c2    red      h1    veth-c2  10.65.10.3/24  02:42:0a:41:0a:03  bound  web1,abc123",
                "c3    red      h2    veth-c3  10.65.10.4/24  02:42:0a:41:0a:04  bound  www,api",
                "c4    red      h2    veth-c4  10.65.10.5/24  02:42:0a:41:0a:05  bound  db");
    }

    @Test
    void flowsDesiredBesideInstalledEachOnceWithWhatDiffers() {
        JsonNode flows = json("""
                {"host":"h1","inSync":false,
                 "desired":[
                   {"table":0,"priority":100,"cookie":"0x1","flow":"cookie=0x1, table=0, priority=100,in_port=3 actions=goto_table:1"},
                   {"table":1,"priority":50,"cookie":"0x2","flow":"cookie=0x2, table=1, priority=50,dl_dst=02:42:0a:41:0a:02 actions=output:3"}],
                 "installed":[
                   {"table":0,"priority":100,"cookie":"0x1","flow":"cookie=0x1, table=0, priority=100,in_port=3 actions=goto_table:1"},
                   {"table":0,"priority":0,"cookie":"0x0","flow":"cookie=0x0, table=0, priority=0 actions=NORMAL"}]}""");
        assertThat(Renderings.flows(flows)).containsExactly(
                "host h1: NOT in sync, 2 flows desired, 2 installed",
                "TABLE  PRIORITY  COOKIE  STATE       FLOW",
                "0      100       0x1     ok          in_port=3 actions=goto_table:1",
                "0      0         0x0     unexpected  actions=NORMAL",
                "1      50        0x2     missing     dl_dst=02:42:0a:41:0a:02 actions=output:3");
    }

    /** GET /api/v1/trace as the contract shapes it: a drop by isolation, with a desired/installed difference. */
    static final String DROPPED = """
            {"network":"red","from":"c1","to":"10.65.10.3","proto":"icmp","verdict":"dropped",
             "reason":"dropped on h2: network red (VNI 101) has no endpoint 10.65.10.3; red and green are isolated",
             "steps":[
               {"host":"h1","table":0,"tableName":"port-security","priority":100,"match":"in_port=3,dl_src=02:42:0a:41:0a:01",
                "actions":"goto_table:1","cookie":"0x1","network":"red","endpoint":"c1",
                "explanation":"c1 sent it from its own port, MAC and IP"},
               {"host":"h1","table":2,"tableName":"l2-forward","priority":10,"match":"tun_id=0x65","actions":"output:32770",
                "cookie":"0x2","network":"red","explanation":"no red endpoint 10.65.10.3 here: tunnelled to h2","vni":101},
               {"host":"h2","table":2,"tableName":"l2-forward","priority":0,"match":"","actions":"drop","cookie":"0x0",
                "explanation":"red has no endpoint 10.65.10.3"}],
             "differences":[{"host":"h2","missing":["cookie=0x5, table=1, priority=40,ip,nw_dst=10.65.10.2 actions=output:3"],
                             "unexpected":["cookie=0x9, table=0, priority=1 actions=NORMAL"]}]}""";

    @Test
    void aDroppedPacketsTraceSaysWhereAndWhyStepByStepAndWhatDiffers() {
        assertThat(Renderings.trace(json(DROPPED))).containsExactly(
                "red: c1 -> 10.65.10.3 (icmp): DROPPED",
                "dropped on h2: network red (VNI 101) has no endpoint 10.65.10.3; red and green are isolated",
                "",
                "HOST  TABLE            PRIORITY  VNI  EXPLANATION",
                "h1    0 port-security  100       -    c1 sent it from its own port, MAC and IP",
                "h1    2 l2-forward     10        101  no red endpoint 10.65.10.3 here: tunnelled to h2",
                "h2    2 l2-forward     0         -    red has no endpoint 10.65.10.3",
                "",
                "desired and installed flows differ:",
                "  h2 lacks        cookie=0x5, table=1, priority=40,ip,nw_dst=10.65.10.2 actions=output:3",
                "  h2 also holds   cookie=0x9, table=0, priority=1 actions=NORMAL");
    }

    @Test
    void aDeliveredPacketsTraceNamesWhereItArrived() {
        JsonNode delivered = json("""
                {"network":"red","from":"c1","to":"c2","proto":"tcp","verdict":"delivered",
                 "reason":"delivered to c2 on h2","deliveredTo":{"host":"h2","endpoint":"c2","port":"veth-c2"},
                 "steps":[],"differences":[]}""");
        assertThat(Renderings.trace(delivered)).containsExactly(
                "red: c1 -> c2 (tcp): DELIVERED to c2 on h2 (port veth-c2)",
                "delivered to c2 on h2");
    }

    @Test
    void anEventIsOneLineOfWhenWhatAndItsFieldsInOrder() {
        assertThat(Renderings.event("endpoint-bound", json("""
                {"network":"red","endpoint":"c1","host":"h1","ip":"10.65.10.2","mac":"02:42:0a:41:0a:02",
                 "at":"2026-11-28T10:00:00.123Z"}""")))
                .isEqualTo("2026-11-28T10:00:00.123Z  endpoint-bound  network=red  endpoint=c1  host=h1  "
                        + "ip=10.65.10.2  mac=02:42:0a:41:0a:02");
        assertThat(Renderings.event("tunnels-changed", json("""
                {"host":"h1","tunnelPorts":["vxlan-h2","gre-h2"],"at":"2026-11-28T10:00:01Z"}""")))
                .isEqualTo("2026-11-28T10:00:01Z  tunnels-changed  host=h1  tunnelPorts=vxlan-h2,gre-h2");
        assertThat(Renderings.event("error", json("""
                {"message":"OpenFlow not connected","at":"2026-11-28T10:00:02Z"}""")))
                .isEqualTo("2026-11-28T10:00:02Z  error  message=\"OpenFlow not connected\"");
    }
}
