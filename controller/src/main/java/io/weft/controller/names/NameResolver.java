package io.weft.controller.names;

import io.weft.model.Ipv4Address;
import io.weft.model.Network;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * What Weft answers to one DNS query from an endpoint of a network: a pure function of the query's bytes and that
 * network's names, so tested without a switch.
 * <ul>
 *   <li>A single-label name ({@code c2}) is the network's: A records of the endpoints of that name or alias (TTL
 *       {@link #TTL_SECONDS} s, authoritative), no data for other types, NXDOMAIN when no endpoint has it. When more
 *       endpoints share a name than fit in what the asker takes ({@link #replyLimit}), the answer holds those that
 *       fit, starting at a holder chosen by the query's id (so that askers spread over all of them), and is not
 *       truncated: Weft is authoritative for these names and defines their answer so that it never needs TCP. Over
 *       TCP what fits is a whole TCP message ({@link #TCP_PAYLOAD} bytes).</li>
 *   <li>The reverse name of an address in the network's subnets: PTR to the endpoint's hostname (its name when it
 *       has none), or NXDOMAIN.</li>
 *   <li>Anything else is forwarded to the upstream resolver when there is one, else REFUSED.</li>
 *   <li>Bytes that are no DNS query: FORMERR when they have a header to answer to; responses and fragments of a
 *       header are dropped (never answer an answer: two resolvers would loop).</li>
 * </ul>
 * Replies to a query with EDNS0 carry an OPT record, as RFC 6891 asks of a responder that speaks it.
 */
public final class NameResolver {

    /** Short: a removed endpoint or a moved alias is forgotten by caches within seconds. */
    public static final long TTL_SECONDS = 5;
    private static final int HEADER_BYTES = 12;
    private static final Name REVERSE_ZONE = Name.fromConstantString("in-addr.arpa.");
    /** What a DNS message over UDP may always hold (RFC 1035); EDNS0 buffers below it count as it (RFC 6891). */
    static final int CLASSIC_UDP_PAYLOAD = 512;
    /** What an EDNS0 reply says Weft takes: the size DNS flag day 2020 settled on, within any network's MTU. */
    static final int ADVERTISED_PAYLOAD = 1232;
    /** An IPv4 header without options and a UDP header: what the network's MTU holds besides the DNS message. */
    private static final int IPV4_UDP_HEADERS = 28;
    /** An A record whose owner is the question's name, compressed to a pointer: name 2, type, class, TTL, length, address. */
    private static final int A_RECORD_BYTES = 2 + 2 + 2 + 4 + 2 + 4;

    /** What a DNS message over TCP may hold: its 2-byte length prefix's limit (RFC 1035 4.2.2). */
    static final int TCP_PAYLOAD = 65535;

    /** How the query came: over UDP a reply is held to one packet, over TCP to {@link #TCP_PAYLOAD}. */
    public enum Transport { UDP, TCP }

    /** What to do with a query. */
    public sealed interface Outcome {
        /**
         * Send this reply to the asker, in at most {@code limit} bytes: what it takes ({@link #replyLimit}), worked
         * out from the query as it was decoded here.
         */
        record Reply(Message message, int limit) implements Outcome {
        }

        /** Ask the upstream resolver and relay its answer (SERVFAIL if it has none). */
        record Forward(Message query) implements Outcome {
        }

        /** Say nothing: not a query. */
        record Drop(String why) implements Outcome {
        }
    }

    private NameResolver() {
    }

    /**
     * @param zone     the asker's network's names; empty when the network is unknown (then nothing is the network's)
     * @param upstream whether an upstream resolver is configured
     */
    public static Outcome resolve(byte[] wire, Optional<NameTable.Zone> zone, boolean upstream) {
        return resolve(wire, zone, upstream, Transport.UDP);
    }

    /** As {@link #resolve(byte[], Optional, boolean)}, for a query that came over {@code transport}. */
    public static Outcome resolve(byte[] wire, Optional<NameTable.Zone> zone, boolean upstream, Transport transport) {
        if (wire.length < HEADER_BYTES) {
            return new Outcome.Drop("shorter than a DNS header");
        }
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException | RuntimeException e) {
            Header h = headerOf(wire);
            if (h.getFlag(Flags.QR)) {
                return new Outcome.Drop("a response, malformed");
            }
            return new Outcome.Reply(bare(h.getID(), h.getOpcode(), Rcode.FORMERR),
                    transport == Transport.TCP ? TCP_PAYLOAD : CLASSIC_UDP_PAYLOAD);
        }
        int limit = replyLimit(query, mtu(zone), transport);
        Header h = query.getHeader();
        if (h.getFlag(Flags.QR)) {
            return new Outcome.Drop("a response, not a query");
        }
        if (h.getOpcode() != Opcode.QUERY) {
            return new Outcome.Reply(reply(query, Rcode.NOTIMP, false, Network.MIN_MTU), limit);
        }
        if (h.getCount(Section.QUESTION) != 1 || query.getQuestion() == null) {
            return new Outcome.Reply(reply(query, Rcode.FORMERR, false, Network.MIN_MTU), limit);
        }
        Record question = query.getQuestion();
        Name name = question.getName();
        int type = question.getType();
        if (zone.isPresent() && question.getDClass() == DClass.IN) {
            if (name.labels() == 2) {
                return new Outcome.Reply(byName(query, zone.get(), name, type, limit), limit);
            }
            Optional<Ipv4Address> reverse = reverseAddress(name).filter(zone.get()::holds);
            if (reverse.isPresent()) {
                return new Outcome.Reply(reverse(query, zone.get(), reverse.get(), type), limit);
            }
        }
        return upstream ? new Outcome.Forward(query)
                : new Outcome.Reply(reply(query, Rcode.REFUSED, false, mtu(zone)), limit);
    }

    /** The MTU of the asker's network; the smallest Weft allows when it has none. */
    static int mtu(Optional<NameTable.Zone> zone) {
        return zone.map(z -> z.network().mtu()).orElse(Network.MIN_MTU);
    }

    /** A reply for when the upstream resolver did not answer (in time, or at all). */
    public static Message serverFailure(Message query, int mtu) {
        return reply(query, Rcode.SERVFAIL, false, mtu);
    }

    /**
     * The upstream resolver's {@code answer} as the asker gets it: the asker's id, and an OPT record only if the
     * asker's query had one (Weft's, not the upstream's: EDNS0 is hop by hop, and Weft's resolver asks with EDNS0
     * even for an asker without it).
     */
    public static Message relayed(Message answer, Message query, int mtu) {
        Message reply = answer.clone();
        reply.getHeader().setID(query.getHeader().getID());
        OPTRecord upstreams = reply.getOPT();
        if (upstreams != null) {
            reply.removeRecord(upstreams, Section.ADDITIONAL);
        }
        if (query.getOPT() != null) {
            reply.addRecord(optRecord(mtu), Section.ADDITIONAL);
        }
        return reply;
    }

    /**
     * The largest DNS message the asker takes over UDP on a network of {@code mtu}: its EDNS0 buffer (512 bytes
     * without one), and never more than one packet of the network holds. A larger reply would be lost: the switch
     * does not fragment what the controller sends, and a container's interface drops frames above its MTU.
     */
    public static int replyLimit(Message query, int mtu, Transport transport) {
        return transport == Transport.TCP ? TCP_PAYLOAD : replyLimit(query, mtu);
    }

    /** {@link #replyLimit(Message, int, Transport)} over UDP. */
    public static int replyLimit(Message query, int mtu) {
        OPTRecord opt = query.getOPT();
        int asked = opt == null ? CLASSIC_UDP_PAYLOAD : Math.max(CLASSIC_UDP_PAYLOAD, opt.getPayloadSize());
        return Math.min(asked, mtu - IPV4_UDP_HEADERS);
    }

    private static Message byName(Message query, NameTable.Zone zone, Name name, int type, int limit) {
        String label = name.getLabelString(0).toLowerCase(Locale.ROOT);
        List<Ipv4Address> addresses = zone.addresses().getOrDefault(label, List.of());
        int mtu = zone.network().mtu();
        if (addresses.isEmpty()) {
            return reply(query, Rcode.NXDOMAIN, true, mtu);
        }
        Message reply = reply(query, Rcode.NOERROR, true, mtu);
        if (type == Type.A || type == Type.ANY) {
            int fit = Math.min(addresses.size(), (limit - reply.toWire().length) / A_RECORD_BYTES);
            int first = query.getHeader().getID() % addresses.size();
            for (int i = 0; i < fit; i++) {
                Ipv4Address ip = addresses.get((first + i) % addresses.size());
                reply.addRecord(new ARecord(name, DClass.IN, TTL_SECONDS, inet(ip)), Section.ANSWER);
            }
        }
        return reply;
    }

    private static Message reverse(Message query, NameTable.Zone zone, Ipv4Address ip, int type) {
        String holder = zone.names().get(ip);
        int mtu = zone.network().mtu();
        if (holder == null) {
            return reply(query, Rcode.NXDOMAIN, true, mtu);
        }
        Message reply = reply(query, Rcode.NOERROR, true, mtu);
        if (type == Type.PTR || type == Type.ANY) {
            try {
                reply.addRecord(new PTRRecord(query.getQuestion().getName(), DClass.IN, TTL_SECONDS,
                        Name.fromString(holder, Name.root)), Section.ANSWER);
            } catch (TextParseException e) {
                // An endpoint name that is no DNS name (Weft's names also allow '_'): it has no PTR record.
                return reply(query, Rcode.NOERROR, true, mtu);
            }
        }
        return reply;
    }

    /** {@code d.c.b.a.in-addr.arpa.} as a.b.c.d; empty for any other name. */
    static Optional<Ipv4Address> reverseAddress(Name name) {
        if (name.labels() != 7 || !name.subdomain(REVERSE_ZONE)) {
            return Optional.empty();
        }
        int bits = 0;
        for (int i = 3; i >= 0; i--) {
            String octet = name.getLabelString(i);
            if (!octet.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(octet) > 255) {
                return Optional.empty();
            }
            bits = (bits << 8) | Integer.parseInt(octet);
        }
        return Optional.of(Ipv4Address.of(bits));
    }

    private static Message reply(Message query, int rcode, boolean authoritative, int mtu) {
        Message reply = new Message(query.getHeader().getID());
        Header h = reply.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
            h.setFlag(Flags.RA);
        }
        if (authoritative) {
            h.setFlag(Flags.AA);
        }
        h.setRcode(rcode);
        if (query.getQuestion() != null) {
            reply.addRecord(query.getQuestion(), Section.QUESTION);
        }
        if (query.getOPT() != null) {
            reply.addRecord(optRecord(mtu), Section.ADDITIONAL);
        }
        return reply;
    }

    private static OPTRecord optRecord(int mtu) {
        return new OPTRecord(Math.min(ADVERTISED_PAYLOAD, mtu - IPV4_UDP_HEADERS), 0, 0);
    }

    private static Message bare(int id, int opcode, int rcode) {
        Message reply = new Message(id);
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setOpcode(opcode);
        reply.getHeader().setRcode(rcode);
        return reply;
    }

    private static Header headerOf(byte[] wire) {
        try {
            return new Header(java.util.Arrays.copyOf(wire, HEADER_BYTES));
        } catch (IOException e) {
            throw new IllegalStateException("a 12-byte header always parses", e);
        }
    }

    static java.net.InetAddress inet(Ipv4Address ip) {
        int b = ip.bits();
        try {
            return java.net.InetAddress.getByAddress(new byte[] {(byte) (b >>> 24), (byte) (b >>> 16),
                    (byte) (b >>> 8), (byte) b});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }
}
