package io.weft.controller.names;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.weft.model.DatapathId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.HostStatus;
import io.weft.flows.NameQueries;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.MacAddress;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.Action;
import io.weft.southbound.PacketIn;
import io.weft.southbound.SwitchHandle;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/**
 * Answers the DNS queries the hosts' switches punt ({@link NameQueries}): finds the asking endpoint by its switch and
 * port (port security already pinned its addresses), asks {@link NameResolver} with that endpoint's network's names,
 * and sends the reply back out of the asker's port, from the address the query went to. Queries that are not the
 * network's go to the upstream resolver, whose answer is relayed, or SERVFAIL after {@link #UPSTREAM_TIMEOUT}.
 * Queries over TCP are the same, on connections the controller terminates itself ({@link DnsTcpResponder}, driven
 * on the same thread, with a timer for its retransmissions), forwarded upstream over TCP.
 *
 * <p>Why the controller answers rather than flows in the datapath: names change with every announce, and PTR,
 * NXDOMAIN and forwarding need a DNS server's logic that OpenFlow cannot express. The meter on the punt flow bounds
 * what a host's containers can make the controller do; here a bounded queue and a bound on upstream queries in flight
 * keep a flood that passes the meters from growing memory, and one thread keeps it off the switches' event loops.
 */
public final class NameService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NameService.class);
    static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
    private static final int QUEUE = 4096;
    private static final int UPSTREAM_IN_FLIGHT = 256;
    /** How often the TCP connections' retransmission and idle timers are looked at. */
    private static final Duration TCP_TICK = Duration.ofMillis(200);

    private final ControllerView view;
    private final Optional<SimpleResolver> upstream;
    private final Optional<SimpleResolver> tcpUpstream;
    private final DnsTcpResponder<TcpAsker> tcp = new DnsTcpResponder<>(DnsTcpResponder.Limits.DEFAULT);
    private final AtomicInteger tcpConnections;
    private final ScheduledExecutorService timer;
    private final Runnable tcpTick = () -> emit(tcp.tick(System.currentTimeMillis()));
    private final Semaphore upstreamSlots = new Semaphore(UPSTREAM_IN_FLIGHT);
    private final Map<Long, SwitchHandle> switches = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor worker;
    private final Counters counters;
    private volatile Cached cached = new Cached(null, null);

    private record Cached(NetworkSnapshot snapshot, NameTable table) {
    }

    /** Who asks over TCP: the endpoint's switch, port, network and MAC, and the MAC its segments went to. */
    private record TcpAsker(long dpid, long port, String network, MacAddress mac, MacAddress serverMac) {
    }

    private record Counters(Counter answered, Counter forwarded, Counter dropped, Counter overloaded) {
        static Counters in(MeterRegistry r) {
            String name = "weft.names.queries";
            return new Counters(r.counter(name, "outcome", "answered"), r.counter(name, "outcome", "forwarded"),
                    r.counter(name, "outcome", "dropped"), r.counter(name, "outcome", "overloaded"));
        }
    }

    public NameService(ControllerView view, Optional<InetSocketAddress> upstream, MeterRegistry registry) {
        this.view = view;
        this.upstream = upstream.map(a -> resolver(a, false));
        this.tcpUpstream = upstream.map(a -> resolver(a, true));
        this.counters = Counters.in(registry);
        this.tcpConnections = registry.gauge("weft.names.tcp.connections", new AtomicInteger());
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                new DefaultThreadFactory("weft-names", true), (r, executor) -> {
            if (r != tcpTick) { // a tick that finds the queue full is simply the next one
                counters.overloaded().increment();
            }
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("weft-names-timer", true));
        timer.scheduleWithFixedDelay(() -> worker.execute(tcpTick), TCP_TICK.toMillis(), TCP_TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** dnsjava's resolver for the upstream; over TCP for queries that came over TCP (no truncation to retry). */
    private static SimpleResolver resolver(InetSocketAddress address, boolean overTcp) {
        SimpleResolver r = new SimpleResolver(address);
        r.setTimeout(UPSTREAM_TIMEOUT);
        r.setTCP(overTcp);
        return r;
    }

    /**
     * Answers this switch's queries from now on; with {@code sendMeter}, first sets the meter its punt flow names
     * (before anything else is sent to the switch: its flows name the meter, so it must exist first).
     */
    public void switchConnected(SwitchHandle sw, boolean sendMeter) {
        switches.put(sw.datapathId(), sw);
        if (!sendMeter) {
            return;
        }
        sw.ensureMeter(NameQueries.METER).whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("switch {}: could not set the DNS meter {} ({}); its flows cannot be installed until it "
                        + "can", DatapathId.hex(sw.datapathId()), NameQueries.METER, e.toString());
            }
        });
    }

    public void switchDisconnected(long dpid) {
        switches.remove(dpid);
    }

    /** Whether the packet is a punted DNS query (then this service owns it). */
    public static boolean isQuery(PacketIn packet) {
        return packet.cookie() == NameQueries.COOKIE;
    }

    /** Called on the switch's event loop: hands the query over and returns. */
    public void packetIn(long dpid, PacketIn packet) {
        worker.execute(() -> {
            try {
                answer(dpid, packet);
            } catch (RuntimeException e) {
                // A query that breaks something costs that query only.
                counters.dropped().increment();
                log.debug("DNS query from switch {} port {} dropped: {}", dpid, packet.inPort(), e.toString());
            }
        });
    }

    private void answer(long dpid, PacketIn packet) {
        SwitchHandle sw = switches.get(dpid);
        Optional<Ipv4Frame> frame = Ipv4Frame.parse(packet.data());
        NetworkSnapshot snapshot = view.snapshot();
        Optional<Endpoint> asker = sw == null || frame.isEmpty() ? Optional.empty()
                : hostOf(dpid, snapshot).flatMap(host -> endpointAt(snapshot, host, packet.inPort()))
                .filter(e -> e.ip().equals(frame.get().srcIp()) && e.mac().equals(frame.get().srcMac()));
        Optional<UdpFrame> udp = frame.flatMap(UdpFrame::of);
        Optional<TcpSegment> segment = frame.flatMap(TcpSegment::parse);
        if (asker.isPresent() && segment.isPresent()) {
            TcpAsker who = new TcpAsker(dpid, packet.inPort(), asker.get().network(), frame.get().srcMac(),
                    frame.get().dstMac());
            emit(tcp.receive(who, segment.get(), System.currentTimeMillis(), this::answerOverTcp));
            return;
        }
        if (asker.isEmpty() || udp.isEmpty()) {
            counters.dropped().increment();
            return;
        }
        UdpFrame query = udp.get();
        Optional<NameTable.Zone> zone = table(snapshot).zone(asker.get().network());
        NameResolver.Outcome outcome = NameResolver.resolve(query.payload(), zone, upstream.isPresent());
        if (outcome instanceof NameResolver.Outcome.Reply r) {
            counters.answered().increment();
            send(sw, packet.inPort(), query, r.message(), r.limit());
        } else if (outcome instanceof NameResolver.Outcome.Forward f) {
            forward(sw, packet.inPort(), query, f.query(), zone.orElseThrow().network().mtu());
        } else {
            counters.dropped().increment();
        }
    }

    private void forward(SwitchHandle sw, long port, UdpFrame frame, Message query, int mtu) {
        int limit = NameResolver.replyLimit(query, mtu);
        if (!upstreamSlots.tryAcquire()) {
            counters.overloaded().increment();
            send(sw, port, frame, NameResolver.serverFailure(query, mtu), limit);
            return;
        }
        counters.forwarded().increment();
        upstream.orElseThrow().sendAsync(query.clone()).whenComplete((answer, e) -> {
            upstreamSlots.release();
            Message reply = e != null || answer == null ? NameResolver.serverFailure(query, mtu)
                    : NameResolver.relayed(answer, query, mtu);
            send(sw, port, frame, reply, limit);
        });
    }

    /**
     * A query that came over TCP (on this thread, from {@link DnsTcpResponder}): the answer now, or empty when the
     * upstream's comes later; an empty array for what is no query (the responder then resets the connection).
     */
    private Optional<byte[]> answerOverTcp(DnsTcpResponder.ConnectionId<TcpAsker> id, byte[] wire) {
        Optional<NameTable.Zone> zone = table(view.snapshot()).zone(id.asker().network());
        NameResolver.Outcome outcome = NameResolver.resolve(wire, zone, upstream.isPresent(),
                NameResolver.Transport.TCP);
        if (outcome instanceof NameResolver.Outcome.Reply r) {
            counters.answered().increment();
            return Optional.of(r.message().toWire(r.limit()));
        }
        if (!(outcome instanceof NameResolver.Outcome.Forward f)) {
            counters.dropped().increment();
            return Optional.of(new byte[0]);
        }
        int mtu = NameResolver.mtu(zone);
        if (!upstreamSlots.tryAcquire()) {
            counters.overloaded().increment();
            return Optional.of(NameResolver.serverFailure(f.query(), mtu).toWire(NameResolver.TCP_PAYLOAD));
        }
        counters.forwarded().increment();
        tcpUpstream.orElseThrow().sendAsync(f.query().clone()).whenComplete((answer, e) -> {
            upstreamSlots.release();
            Message reply = e != null || answer == null ? NameResolver.serverFailure(f.query(), mtu)
                    : NameResolver.relayed(answer, f.query(), mtu);
            byte[] wireReply = reply.toWire(NameResolver.TCP_PAYLOAD);
            // Counted as overloaded if the queue is full; the connection then waits for it until it is reset.
            worker.execute(() -> emit(tcp.answer(id, wireReply, System.currentTimeMillis(), this::answerOverTcp)));
        });
        return Optional.empty();
    }

    /** Sends the responder's segments, each out of its asker's port. */
    private void emit(List<DnsTcpResponder.Out<TcpAsker>> segments) {
        for (DnsTcpResponder.Out<TcpAsker> out : segments) {
            SwitchHandle sw = switches.get(out.asker().dpid());
            if (sw != null) {
                sw.packetOut(Action.PORT_CONTROLLER, List.of(Action.output(out.asker().port())),
                        out.segment().toFrame(out.asker().serverMac(), out.asker().mac()));
            }
        }
        tcpConnections.set(tcp.connections());
    }

    private void send(SwitchHandle sw, long port, UdpFrame query, Message reply, int maxPayload) {
        // Weft's own answers fit already; a relayed one larger than the asker takes is cut at a whole record set
        // with TC set (RFC 2181): the asker may retry over TCP, where it gets all of it.
        byte[] data = reply.toWire(maxPayload);
        sw.packetOut(Action.PORT_CONTROLLER, List.of(Action.output(port)), query.reply(data));
    }

    private NameTable table(NetworkSnapshot snapshot) {
        Cached c = cached;
        if (c.snapshot() != snapshot) {
            c = new Cached(snapshot, NameTable.of(snapshot));
            cached = c;
        }
        return c.table();
    }

    private Optional<String> hostOf(long dpid, NetworkSnapshot snapshot) {
        String hex = DatapathId.hex(dpid);
        return snapshot.hosts().keySet().stream()
                .filter(h -> view.status(h).flatMap(HostStatus::datapathId).filter(hex::equals).isPresent())
                .findFirst();
    }

    private static Optional<Endpoint> endpointAt(NetworkSnapshot snapshot, String host, long ofport) {
        return snapshot.ofports().getOrDefault(host, Map.of()).entrySet().stream()
                .filter(p -> p.getValue() == ofport).map(Map.Entry::getKey).findFirst()
                .flatMap(port -> snapshot.index().at(host, port))
                .map((EndpointId id) -> snapshot.endpoints().get(id));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        worker.shutdownNow();
    }
}
