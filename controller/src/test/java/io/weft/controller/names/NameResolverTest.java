package io.weft.controller.names;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.controller.names.NameResolver.Outcome;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Ipv4Address;
import io.weft.model.Ipv4Cidr;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.NetworkSnapshot;
import io.weft.model.Subnet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The responder as a pure function: red and green both use 10.65.10.0/24 and both have a c2. */
class NameResolverTest {

    private static final Network RED = network("red", 1);
    private static final Network GREEN = network("green", 2);
    private static final Endpoint RED_C1 = endpoint(RED, "c1", 1, List.of());
    private static final Endpoint RED_C2 = endpoint(RED, "c2", 2, List.of("web", "Api"));
    private static final Endpoint RED_C3 = endpoint(RED, "c3", 3, List.of("web"));
    private static final Endpoint GREEN_C2 = endpoint(GREEN, "c2", 12, List.of());
    private static final Endpoint GREEN_DB = endpoint(GREEN, "db", 13, List.of());
    private static final NameTable NAMES = NameTable.of(NetworkSnapshot.of(1,
            List.of(),
            List.of(RED, GREEN), List.of(RED_C1, RED_C2, RED_C3, GREEN_C2, GREEN_DB), Map.of()));

    private static Network network(String name, int vni) {
        return new Network(name, vni, Encapsulation.VXLAN, 1450, List.of(new Subnet(Ipv4Cidr.parse("10.65.10.0/24"),
                Ipv4Address.parse("10.65.10.254"))));
    }

    private static Endpoint endpoint(Network n, String name, int last, List<String> aliases) {
        Ipv4Address ip = Ipv4Address.parse("10.65.10." + last);
        return new Endpoint(new EndpointId(n.name(), name), last % 2 == 0 ? "h2" : "h1", "ve-" + n.name() + last,
                MacAddress.fromIpv4(ip), ip, aliases);
    }

    private static byte[] query(String name, int type) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        return q.toWire();
    }

    private static Message reply(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Reply.class);
        return ((Outcome.Reply) o).message();
    }

    private static Message ask(String network, String name, int type, boolean upstream) throws Exception {
        return reply(NameResolver.resolve(query(name, type), NAMES.zone(network), upstream));
    }

    private static List<String> addresses(Message m) {
        return m.getSection(Section.ANSWER).stream().map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    @Test
    void anEndpointNameIsAnsweredWithItsAddressAuthoritativelyAndWithAShortTtl() throws Exception {
        byte[] q = query("c2.", Type.A);
        Message m = reply(NameResolver.resolve(q, NAMES.zone("red"), false));
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(m)).containsExactly("10.65.10.2");
        assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(NameResolver.TTL_SECONDS);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(m.getHeader().getID()).isEqualTo(new Message(q).getHeader().getID());
        assertThat(m.getQuestion().getName()).isEqualTo(Name.fromString("c2."));
    }

    @Test
    void aliasesAnswerToo_withoutCase_andASharedAliasGivesEveryHolder() throws Exception {
        assertThat(addresses(ask("red", "API.", Type.A, false))).containsExactly("10.65.10.2");
        // In an order that depends on the query's id: askers spread over the holders.
        assertThat(addresses(ask("red", "web.", Type.A, false))).containsExactlyInAnyOrder("10.65.10.2",
                "10.65.10.3");
    }

    @Test
    void redNeverLearnsGreensNamesEvenEqualOnes() throws Exception {
        assertThat(addresses(ask("green", "c2.", Type.A, false))).containsExactly("10.65.10.12");
        assertThat(ask("red", "db.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("green", "web.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void anUnknownSingleLabelIsNxdomainEvenWithAnUpstream() throws Exception {
        Message m = ask("red", "gone.", Type.A, true);
        assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void aKnownNameOfAnotherTypeHasNoData() throws Exception {
        Message m = ask("red", "c2.", Type.AAAA, false);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void theReverseNameOfAnEndpointWithAHostnameIsPtrToTheHostname_whichResolvesBack() throws Exception {
        // As the Docker agent announces a container: its own name is the agent's, the container's name its hostname.
        Ipv4Address ip = Ipv4Address.parse("10.65.10.4");
        Endpoint web1 = new Endpoint(new EndpointId("red", "h1-0a0b0c0d"), "h1", "ve-red4", MacAddress.fromIpv4(ip),
                ip, List.of("f00dcafe0001"), Optional.of("web1"));
        NameTable names = NameTable.of(NetworkSnapshot.of(1, List.of(), List.of(RED), List.of(RED_C1, web1),
                Map.of()));
        Message ptr = reply(NameResolver.resolve(query(ReverseMap.fromAddress(ip.toString()).toString(), Type.PTR),
                names.zone("red"), false));
        assertThat(ptr.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((PTRRecord) r).getTarget()).isEqualTo(Name.fromString("web1.")));
        Message a = reply(NameResolver.resolve(query("web1.", Type.A), names.zone("red"), false));
        assertThat(addresses(a)).containsExactly("10.65.10.4");
        // Its own name and aliases still answer, and an endpoint without a hostname is PTR to its name.
        assertThat(addresses(reply(NameResolver.resolve(query("h1-0a0b0c0d.", Type.A), names.zone("red"), false))))
                .containsExactly("10.65.10.4");
        Message c1 = reply(NameResolver.resolve(query(ReverseMap.fromAddress("10.65.10.1").toString(), Type.PTR),
                names.zone("red"), false));
        assertThat(((PTRRecord) c1.getSection(Section.ANSWER).get(0)).getTarget()).isEqualTo(Name.fromString("c1."));
    }

    @Test
    void reverseNamesOfTheNetworksAddressesArePtrToTheEndpointsName() throws Exception {
        Name reverse = ReverseMap.fromAddress("10.65.10.2");
        Message red = ask("red", reverse.toString(), Type.PTR, false);
        assertThat(((PTRRecord) red.getSection(Section.ANSWER).get(0)).getTarget()).isEqualTo(Name.fromString("c2."));
        Message green = ask("green", ReverseMap.fromAddress("10.65.10.13").toString(), Type.PTR, false);
        assertThat(((PTRRecord) green.getSection(Section.ANSWER).get(0)).getTarget())
                .isEqualTo(Name.fromString("db."));
        assertThat(ask("red", ReverseMap.fromAddress("10.65.10.13").toString(), Type.PTR, true).getRcode())
                .as("green's address is nobody in red").isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void otherNamesAreForwardedWhenThereIsAnUpstreamAndRefusedOtherwise() throws Exception {
        byte[] q = query("example.org.", Type.A);
        assertThat(NameResolver.resolve(q, NAMES.zone("red"), true)).isInstanceOf(Outcome.Forward.class);
        assertThat(reply(NameResolver.resolve(q, NAMES.zone("red"), false)).getRcode()).isEqualTo(Rcode.REFUSED);
        byte[] outside = query(ReverseMap.fromAddress("192.0.2.1").toString(), Type.PTR);
        assertThat(NameResolver.resolve(outside, NAMES.zone("red"), true)).isInstanceOf(Outcome.Forward.class);
    }

    @Test
    void anAskerOfNoKnownNetworkGetsNoNamesOfAny() throws Exception {
        Message m = reply(NameResolver.resolve(query("c2.", Type.A), Optional.empty(), false));
        assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
    }

    /** Red with 200 endpoints that share the alias {@code web} (10.65.10.1-200), on a network of MTU {@code mtu}. */
    private static NameTable.Zone crowded(int mtu) {
        Network red = new Network("red", 1, Encapsulation.VXLAN, mtu, RED.subnets());
        List<Endpoint> many = java.util.stream.IntStream.rangeClosed(1, 200)
                .mapToObj(i -> endpoint(red, "c" + i, i, List.of("web"))).toList();
        return NameTable.of(NetworkSnapshot.of(1, List.of(), List.of(red), many, Map.of())).zone("red").orElseThrow();
    }

    private static Message withBuffer(Message q, int payload) {
        q.addRecord(new org.xbill.DNS.OPTRecord(payload, 0, 0), Section.ADDITIONAL);
        return q;
    }

    @Test
    void aSharedNameWithMoreHoldersThanFitIsAnsweredWithThoseThatFitUntruncated() throws Exception {
        // A client without EDNS0 takes 512 bytes; one with a 4096-byte buffer on an MTU 1450 network takes what one
        // packet holds: 1422 bytes. Either way Weft answers what fits, not TC (which would send the client to TCP).
        Message classic = Message.newQuery(Record.newRecord(Name.fromString("web."), Type.A, DClass.IN));
        Message edns = withBuffer(Message.newQuery(Record.newRecord(Name.fromString("web."), Type.A, DClass.IN)),
                4096);
        for (Message q : List.of(classic, edns)) {
            int limit = q.getOPT() == null ? 512 : 1422;
            Outcome outcome = NameResolver.resolve(q.toWire(), Optional.of(crowded(1450)), false);
            assertThat(((Outcome.Reply) outcome).limit()).as("what the asker takes, with the reply").isEqualTo(limit);
            Message m = reply(outcome);
            byte[] wire = m.toWire();
            assertThat(wire.length).isLessThanOrEqualTo(limit).isGreaterThan(limit - 16);
            assertThat(m.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(addresses(m)).doesNotHaveDuplicates().hasSize(m.getSection(Section.ANSWER).size());
            assertThat(new Message(wire).getSection(Section.ANSWER)).hasSize(m.getSection(Section.ANSWER).size());
        }
    }

    @Test
    void askersOfASharedNameAreSpreadOverItsHoldersByTheirQueryIds() throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("web."), Type.A, DClass.IN));
        q.getHeader().setID(0);
        List<String> first = addresses(reply(NameResolver.resolve(q.toWire(), Optional.of(crowded(1450)), false)));
        q.getHeader().setID(150);
        List<String> other = addresses(reply(NameResolver.resolve(q.toWire(), Optional.of(crowded(1450)), false)));
        assertThat(first.get(0)).isEqualTo("10.65.10.1");
        assertThat(other.get(0)).isEqualTo("10.65.10.151");
    }

    @Test
    void whatAnAskerTakesIsItsEdnsBufferWithinOnePacketOfItsNetwork() throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.TXT, DClass.IN));
        assertThat(NameResolver.replyLimit(q, 1450)).isEqualTo(512);
        assertThat(NameResolver.replyLimit(withBuffer(q.clone(), 4096), 1450)).as("not fragmented").isEqualTo(1422);
        assertThat(NameResolver.replyLimit(withBuffer(q.clone(), 1232), 1450)).isEqualTo(1232);
        assertThat(NameResolver.replyLimit(withBuffer(q.clone(), 100), 1450)).as("below 512 counts as 512")
                .isEqualTo(512);
    }

    @Test
    void aQueryWithEdnsGetsAnOptRecordBackAndOneWithoutNone() throws Exception {
        Message edns = withBuffer(Message.newQuery(Record.newRecord(Name.fromString("c2."), Type.A, DClass.IN)),
                4096);
        Message m = reply(NameResolver.resolve(edns.toWire(), NAMES.zone("red"), false));
        assertThat(m.getOPT()).isNotNull();
        assertThat(m.getOPT().getPayloadSize()).isEqualTo(1232);
        assertThat(addresses(m)).containsExactly("10.65.10.2");
        assertThat(ask("red", "c2.", Type.A, false).getOPT()).isNull();
    }

    @Test
    void aRelayedAnswerHasTheAskersIdAndAnOptRecordOnlyIfTheAskerSentOne() throws Exception {
        Message plain = Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.A, DClass.IN));
        // What the upstream answered to Weft's resolver, which asked with EDNS0 and an id of its own.
        Message upstream = new Message(4242);
        upstream.getHeader().setFlag(Flags.QR);
        upstream.addRecord(plain.getQuestion(), Section.QUESTION);
        upstream.addRecord(new ARecord(Name.fromString("example.org."), DClass.IN, 60,
                java.net.InetAddress.getByName("192.0.2.7")), Section.ANSWER);
        upstream.addRecord(new org.xbill.DNS.OPTRecord(4096, 0, 0), Section.ADDITIONAL);

        Message toPlain = NameResolver.relayed(upstream, plain, 1450);
        assertThat(toPlain.getHeader().getID()).isEqualTo(plain.getHeader().getID());
        assertThat(toPlain.getOPT()).as("RFC 6891: no OPT to an asker without EDNS0").isNull();
        assertThat(addresses(toPlain)).containsExactly("192.0.2.7");

        Message edns = withBuffer(plain.clone(), 4096);
        assertThat(NameResolver.relayed(upstream, edns, 1450).getOPT().getPayloadSize()).isEqualTo(1232);
        assertThat(upstream.getOPT().getPayloadSize()).as("the upstream's answer is left alone").isEqualTo(4096);
    }

    @Test
    void aNetworkWithoutEndpointsDoesNotStopTheOthersNames() throws Exception {
        Network empty = network("blue", 3);
        NameTable names = NameTable.of(NetworkSnapshot.of(1, List.of(), List.of(RED, empty), List.of(RED_C2),
                Map.of()));
        assertThat(addresses(reply(NameResolver.resolve(query("c2.", Type.A), names.zone("red"), false))))
                .containsExactly("10.65.10.2");
        assertThat(reply(NameResolver.resolve(query("c2.", Type.A), names.zone("blue"), false)).getRcode())
                .isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void garbageWithAHeaderIsFormerrAndResponsesOrScrapsAreDropped() throws Exception {
        byte[] q = query("c2.", Type.A);
        byte[] cut = java.util.Arrays.copyOf(q, q.length - 3);
        Outcome formerr = NameResolver.resolve(cut, NAMES.zone("red"), true);
        assertThat(((Outcome.Reply) formerr).limit()).as("no EDNS0 buffer read: the classic 512").isEqualTo(512);
        Message m = reply(formerr);
        assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(m.getHeader().getID()).isEqualTo(new Message(q).getHeader().getID());
        assertThat(NameResolver.resolve(new byte[5], NAMES.zone("red"), true)).isInstanceOf(Outcome.Drop.class);
        Message answer = new Message(q);
        answer.getHeader().setFlag(Flags.QR);
        assertThat(NameResolver.resolve(answer.toWire(), NAMES.zone("red"), true)).isInstanceOf(Outcome.Drop.class);
    }
}
