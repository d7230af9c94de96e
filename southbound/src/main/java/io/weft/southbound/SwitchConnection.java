package io.weft.southbound;

import io.weft.model.DatapathId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.weft.model.LogThrottle;
import io.weft.model.MacAddress;
import io.weft.model.flow.Action;
import io.weft.model.flow.Meter;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFErrorType;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterConfigStatsReply;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFRoleReply;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.projectfloodlight.openflow.protocol.OFTableStatsReply;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "handler" stage: the handshake, request/reply matching by xid, and events for one switch. Every field is
 * confined to the channel's event loop; public methods hop onto it, so one switch's work is serialised and never
 * waits for another switch.
 */
final class SwitchConnection extends ChannelInboundHandlerAdapter implements SwitchHandle {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchConnection.class);
    /** A refused switch reconnects every few seconds: one line per switch and address a minute. */
    private static final LogThrottle REFUSALS = LogThrottle.perMinute();

    private enum State { WAIT_HELLO, HANDSHAKE, READY, CLOSED }

    /** A request waiting for its reply (or all parts of a multipart reply). */
    private static final class Pending {
        final CompletableFuture<List<OFMessage>> future = new CompletableFuture<>();
        final List<OFMessage> parts = new ArrayList<>(1);
        final OFType requestType;
        /** Takes each part as it arrives instead of {@link #parts}, or null to gather them. */
        final Consumer<Object> eachPart;
        int partsSeen;
        /** Bytes held against the shared reply budget for the parts gathered so far. */
        long reserved;

        Pending(OFType requestType, Consumer<Object> eachPart) {
            this.requestType = requestType;
            this.eachPart = eachPart;
        }

        void take(Object part) {
            partsSeen++;
            if (eachPart != null) {
                eachPart.accept(part);
            } else if (part instanceof OFMessage m) {
                parts.add(m);
            } else {
                throw new IllegalStateException("a flow stats reply to a " + requestType + " request");
            }
        }
    }

    private final SwitchListener listener;
    private final ChannelConfig config;
    /** The live connection per datapath id, shared by one server or connector. */
    private final Map<Long, SwitchConnection> live;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Map<Long, PortInfo> ports = new ConcurrentHashMap<>();
    private final SwitchAdmission admission;
    private final SharedFlowMods sharedFlowMods;

    private Channel channel;
    private State state = State.WAIT_HELLO;
    private volatile OFFactory factory;
    private FlowTranslator translator;
    private volatile FlowProgrammer programmer;
    private volatile long dpid;
    private long nextXid = 1;

    SwitchConnection(SwitchListener listener, ChannelConfig config, Map<Long, SwitchConnection> live,
                     SwitchAdmission admission, SharedFlowMods sharedFlowMods) {
        this.listener = listener;
        this.config = config;
        this.live = live;
        this.admission = admission;
        this.sharedFlowMods = sharedFlowMods;
    }

    // ---- Netty side

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        // Version bitmap: bit n stands for wire version n (1.0 = 1, 1.3 = 4, 1.4 = 5).
        long bits = 0;
        for (OFVersion v : offered()) {
            bits |= 1L << v.getWireVersion();
        }
        List<U32> bitmap = List.of(U32.of(bits));
        OFFactory offer = OFFactories.getFactory(config.maxVersion());
        OFHello hello = offer.buildHello().setXid(xid())
                .setElements(List.of(offer.helloElemVersionbitmap(bitmap))).build();
        channel.writeAndFlush(hello, channel.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FlowStat.Part part) {
            if (state == State.WAIT_HELLO || part.wireVersion() != factory.getVersion().getWireVersion()) {
                throw new IllegalStateException("switch sent a flow stats reply of wire version " + part.wireVersion()
                        + (state == State.WAIT_HELLO ? " before its HELLO"
                        : " after negotiating " + factory.getVersion()));
            }
            onReply(part.xid(), part.more(), part, "flow stats reply");
            return;
        }
        OFMessage m = (OFMessage) msg;
        if (state == State.WAIT_HELLO) {
            onHello(m);
            return;
        }
        if (m.getVersion() != factory.getVersion()) {
            throw new IllegalStateException("switch sent " + m.getVersion() + " after negotiating "
                    + factory.getVersion());
        }
        dispatch(m);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        State was = state;
        state = State.CLOSED;
        ClosedChannelException closed = new ClosedChannelException();
        for (Pending p : new ArrayList<>(pending.values())) {
            release(p);
            p.future.completeExceptionally(closed);
        }
        pending.clear();
        if (programmer != null) {
            programmer.onDisconnect();
        }
        // A connection replaced by a newer one from the same switch ends silently: the listener already holds the
        // new handle and must not be told that the switch went away.
        if (was == State.READY && live.remove(dpid, this)) {
            LOG.info("switch {} disconnected", dpidString());
            safely(() -> listener.switchDisconnected(dpid));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A misbehaving peer costs its own connection only; the process and other switches go on.
        // A switch past its handshake that sends what does not parse is worth a warning; a stray peer is not.
        if (state == State.READY) {
            LOG.warn("switch {} at {}: closing its connection: {}", dpidString(), ctx.channel().remoteAddress(),
                    cause.toString());
        } else {
            LOG.debug("closing OpenFlow connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    // ---- handshake

    private void onHello(OFMessage m) {
        if (m.getType() != OFType.HELLO) {
            throw new IllegalStateException("expected HELLO, got " + m.getType());
        }
        OFVersion v = negotiate((OFHello) m);
        if (v == null) {
            OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
            channel.writeAndFlush(f.errorMsgs().buildHelloFailedErrorMsg().setXid(m.getXid())
                    .setCode(OFHelloFailedCode.INCOMPATIBLE).build()).addListener(x -> channel.close());
            state = State.CLOSED;
            return;
        }
        factory = OFFactories.getFactory(v);
        translator = new FlowTranslator(factory);
        channel.attr(EchoKeepAlive.FACTORY).set(factory);
        state = State.HANDSHAKE;
        request(x -> factory.buildFeaturesRequest().setXid(x).build())
                .thenCompose(features -> {
                    dpid = ((OFFeaturesReply) features.get(0)).getDatapathId().getLong();
                    Optional<String> refused = admission.refusal(dpid, channel.remoteAddress());
                    if (refused.isPresent()) {
                        REFUSALS.admit(dpidString() + " " + host(channel.remoteAddress())).ifPresent(heldBack ->
                                LOG.warn("OpenFlow switch {} from {} refused: {}{}", dpidString(),
                                        channel.remoteAddress(), refused.get(),
                                        LogThrottle.heldBackNote(heldBack, REFUSALS.interval())));
                        state = State.CLOSED;
                        channel.close();
                        return CompletableFuture.failedFuture(new ClosedChannelException());
                    }
                    send(factory.buildSetConfig().setXid(xid()).setMissSendLen(0xffff).build());
                    if (factory.getVersion() == OFVersion.OF_10) {
                        // OpenFlow 1.0 lists the ports in the features reply; it has no port-description request.
                        return CompletableFuture.completedFuture(
                                ((OFFeaturesReply) features.get(0)).getPorts());
                    }
                    return request(x -> factory.buildPortDescStatsRequest().setXid(x).build())
                            .thenApply(replies -> replies.stream()
                                    .flatMap(r -> ((OFPortDescStatsReply) r).getEntries().stream()).toList());
                })
                .thenCompose(descriptions -> {
                    for (OFPortDesc d : descriptions) {
                        ports.put(portNumber(d), portInfo(d));
                    }
                    programmer = new FlowProgrammer(this, translator, sharedFlowMods);
                    return CompletableFuture.completedFuture(null);
                })
                .whenComplete((ok, err) -> {
                    if (err != null) {
                        if (state == State.CLOSED) {
                            LOG.debug("{} closed during the handshake", channel.remoteAddress());
                        } else {
                            LOG.warn("handshake with {} failed: {}", channel.remoteAddress(), err.toString());
                        }
                        channel.close();
                        return;
                    }
                    if (state != State.HANDSHAKE) {
                        return;
                    }
                    state = State.READY;
                    channel.pipeline().fireUserEventTriggered(HandshakeTimeout.DONE);
                    SwitchConnection previous = live.put(dpid, this);
                    if (previous != null && previous != this) {
                        LOG.info("switch {} reconnected; closing its previous connection", dpidString());
                        previous.close();
                    }
                    LOG.info("OpenFlow switch {} accepted from {} ({}, {} ports)", dpidString(),
                            channel.remoteAddress(), factory.getVersion(), ports.size());
                    safely(() -> listener.switchConnected(this));
                });
    }

    /** The versions Weft speaks, highest first: 1.4 (when configured), 1.3, and 1.0 for plain switches. */
    private List<OFVersion> offered() {
        return config.maxVersion() == OFVersion.OF_14 ? List.of(OFVersion.OF_14, OFVersion.OF_13, OFVersion.OF_10)
                : List.of(OFVersion.OF_13, OFVersion.OF_10);
    }

    /**
     * The highest version both offer, from the switch's version bitmap when its HELLO has one; else (HELLOs before
     * 1.3 have no elements) the lower of the two header versions, which Weft must speak or the handshake fails.
     */
    private OFVersion negotiate(OFHello hello) {
        long theirs = 0;
        if (hello.getVersion().compareTo(OFVersion.OF_13) >= 0) {    // HELLO elements came with 1.3
            for (OFHelloElem e : hello.getElements()) {
                if (e instanceof OFHelloElemVersionbitmap b && !b.getBitmaps().isEmpty()) {
                    theirs = b.getBitmaps().get(0).getValue();
                }
            }
        }
        if (theirs != 0) {
            for (OFVersion v : offered()) {
                if ((theirs & (1L << v.getWireVersion())) != 0) {
                    return v;
                }
            }
            return null;
        }
        int common = Math.min(hello.getVersion().getWireVersion(), config.maxVersion().getWireVersion());
        return offered().stream().filter(v -> v.getWireVersion() == common).findFirst().orElse(null);
    }

    // ---- inbound dispatch

    private void dispatch(OFMessage m) {
        switch (m.getType()) {
            case ECHO_REQUEST -> send(factory.buildEchoReply().setXid(m.getXid())
                    .setData(((OFEchoRequest) m).getData()).build());
            case ECHO_REPLY, HELLO -> {
            }
            case ERROR -> onError((OFErrorMsg) m);
            case PORT_STATUS -> onPortStatus((OFPortStatus) m);
            case PACKET_IN -> onPacketIn((OFPacketIn) m);
            case FLOW_REMOVED -> {
                // Weft asks for none (no flow has SEND_FLOW_REM); drift is found by the reconciler's audits.
            }
            default -> onReply(m.getXid(),
                    m instanceof OFStatsReply s && s.getFlags().contains(OFStatsReplyFlags.REPLY_MORE), m, m.getType());
        }
    }

    /** A reply or one part of it ({@code more}: others follow), an openflowj message or a {@link FlowStat.Part}. */
    private void onReply(long xid, boolean more, Object m, Object type) {
        Pending p = pending.get(xid);
        if (p == null) {
            LOG.debug("switch {}: unsolicited {} xid {}", dpidString(), type, xid);
            return;
        }
        if (more) {
            // Gathered parts (or what a request that takes them one by one made of them) are held until the last
            // arrives: bounded per request and across all switches.
            if (p.partsSeen >= config.maxReplyParts()
                    || !config.replyBudget().tryReserve(OfMessageDecoder.MAX_FRAME)) {
                String why = p.partsSeen >= config.maxReplyParts()
                        ? "more than " + config.maxReplyParts() + " parts"
                        : "more than the " + config.replyBudget().capacity() + " bytes all switches' replies may hold";
                LOG.warn("switch {} at {}: {} reply with {}: disconnecting it", dpidString(),
                        channel.remoteAddress(), type, why);
                pending.remove(xid);
                release(p);
                p.future.completeExceptionally(new IllegalStateException("multipart reply with " + why));
                channel.close();
                return;
            }
            p.reserved += OfMessageDecoder.MAX_FRAME;
            took(p, xid, m);
            return;
        }
        if (!took(p, xid, m)) {
            return;
        }
        pending.remove(xid);
        release(p);
        p.future.complete(p.parts);
    }

    /** Hands a part to its request; a part it cannot take (a reply of another kind) fails the request. */
    private boolean took(Pending p, long xid, Object m) {
        try {
            p.take(m);
            return true;
        } catch (RuntimeException e) {
            pending.remove(xid);
            release(p);
            p.future.completeExceptionally(e);
            return false;
        }
    }

    private void release(Pending p) {
        if (p.reserved > 0) {
            config.replyBudget().release(p.reserved);
            p.reserved = 0;
        }
    }

    private void onError(OFErrorMsg err) {
        Pending p = pending.remove(err.getXid());
        if (p != null) {
            release(p);
            p.future.completeExceptionally(new OpenFlowErrorException(p.requestType, err));
            return;
        }
        if (programmer != null && programmer.claimError(err)) {
            return;
        }
        String text = ErrorNames.of(err) + " xid " + err.getXid();
        LOG.warn("switch {}: unclaimed error {}", dpidString(), text);
        safely(() -> listener.error(dpid, text));
    }

    private void onPortStatus(OFPortStatus s) {
        PortInfo info = portInfo(s.getDesc());
        PortEvent.Type type = switch (s.getReason()) {
            case ADD -> PortEvent.Type.ADDED;
            case DELETE -> PortEvent.Type.REMOVED;
            default -> PortEvent.Type.MODIFIED;
        };
        if (type == PortEvent.Type.REMOVED) {
            ports.remove(info.ofport());
        } else {
            ports.put(info.ofport(), info);
        }
        if (state == State.READY) {
            safely(() -> listener.portStatus(dpid, new PortEvent(type, info)));
        }
    }

    private void onPacketIn(OFPacketIn p) {
        if (state != State.READY) {
            return;
        }
        PacketIn in;
        if (p.getVersion() == OFVersion.OF_10) {
            // 1.0: in_port is a field of the message; there is one table and no cookie.
            in = new PacketIn(0, 0, p.getInPort().getPortNumber() & 0xffff_ffffL, String.valueOf(p.getReason()),
                    p.getData());
        } else {
            long inPort = p.getMatch().supports(MatchField.IN_PORT) && p.getMatch().get(MatchField.IN_PORT) != null
                    ? p.getMatch().get(MatchField.IN_PORT).getPortNumber() & 0xffff_ffffL : 0;
            in = new PacketIn(p.getTableId().getValue(), p.getCookie().getValue(), inPort,
                    String.valueOf(p.getReason()), p.getData());
        }
        safely(() -> listener.packetIn(dpid, in));
    }

    /** An address without the port that changes on every reconnect. */
    private static String host(java.net.SocketAddress a) {
        return a instanceof java.net.InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress()
                : String.valueOf(a);
    }

    private static long portNumber(OFPortDesc d) {
        return d.getPortNo().getPortNumber() & 0xffff_ffffL;
    }

    private static PortInfo portInfo(OFPortDesc d) {
        boolean up = !d.getState().contains(OFPortState.LINK_DOWN) && !d.getConfig().contains(OFPortConfig.PORT_DOWN);
        return new PortInfo(portNumber(d), d.getName(), new MacAddress(d.getHwAddr().getLong()), up);
    }

    // ---- outbound plumbing (event loop only unless noted)

    long xid() {
        long x = nextXid;
        nextXid = (nextXid + 1) & 0xffff_ffffL;
        if (nextXid == 0 || nextXid == 0xecc0L) {
            nextXid++;
        }
        return x;
    }

    void send(Object msg) {
        channel.writeAndFlush(msg, channel.voidPromise());
    }

    /** Sends a request built with a fresh xid; completes with the reply (all parts of a multipart reply). */
    CompletableFuture<List<OFMessage>> request(LongFunction<OFMessage> build) {
        return request(build, null);
    }

    /**
     * As {@link #request(LongFunction)}, but each part of the reply is given to {@code eachPart} (on the event loop)
     * as it arrives, and the future completes with an empty list after the last: a large reply's parts are not held.
     */
    private CompletableFuture<List<OFMessage>> request(LongFunction<OFMessage> build, Consumer<Object> eachPart) {
        if (state == State.CLOSED || !channel.isActive()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        long x = xid();
        OFMessage m = build.apply(x);
        Pending p = new Pending(m.getType(), eachPart);
        pending.put(x, p);
        send(m);
        return p.future;
    }

    /** Runs on this switch's event loop; {@code CompletableFuture} callbacks completed there stay there. */
    <T> CompletableFuture<T> inLoop(java.util.function.Supplier<CompletableFuture<T>> task) {
        if (channel.eventLoop().inEventLoop()) {
            return task.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> task.get().whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(r);
            }
        }));
        return result;
    }

    String dpidString() {
        return DatapathId.hex(dpid);
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("switch listener threw", e);
        }
    }

    // ---- SwitchHandle

    @Override
    public long datapathId() {
        return dpid;
    }

    @Override
    public OpenFlowVersion version() {
        return switch (factory.getVersion()) {
            case OF_10 -> OpenFlowVersion.OF_10;
            case OF_13 -> OpenFlowVersion.OF_13;
            case OF_14 -> OpenFlowVersion.OF_14;
            default -> throw new IllegalStateException("negotiated " + factory.getVersion());
        };
    }

    /** A failed future for what this switch's version cannot do; nothing is sent. */
    private <T> CompletableFuture<T> unsupported(String what) {
        return CompletableFuture.failedFuture(new UnsupportedByVersionException(version(),
                what + " (switch " + dpidString() + ")"));
    }

    @Override
    public boolean atomicUpdates() {
        return programmer.atomic();
    }

    @Override
    public Map<Long, PortInfo> ports() {
        return Collections.unmodifiableMap(ports);
    }

    @Override
    public CompletableFuture<ApplyResult> send(List<FlowMod> mods) {
        return programmer.send(mods);
    }

    @Override
    public CompletableFuture<FlowTable> flows() {
        return programmer.dump();
    }

    @Override
    public long flowModsSent() {
        return programmer.flowModsSent();
    }

    @Override
    public CompletableFuture<Map<Integer, Long>> flowCounts() {
        return inLoop(() -> request(x -> factory.buildTableStatsRequest().setXid(x).build()))
                .thenApply(parts -> {
                    Map<Integer, Long> counts = new java.util.TreeMap<>();
                    for (OFMessage p : parts) {
                        for (OFTableStatsEntry e : ((OFTableStatsReply) p).getEntries()) {
                            if (e.getActiveCount() > 0) {
                                counts.put((int) e.getTableId().getValue(), e.getActiveCount());
                            }
                        }
                    }
                    return counts;
                });
    }

    @Override
    public boolean isConnected() {
        return state == State.READY && channel.isActive();
    }

    @Override
    public CompletableFuture<Void> barrier() {
        return inLoop(() -> request(x -> factory.buildBarrierRequest().setXid(x).build()))
                .thenApply(r -> {
                    if (!(r.get(0) instanceof OFBarrierReply)) {
                        throw new IllegalStateException("expected a barrier reply, got " + r.get(0).getType());
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> packetOut(long inPort, List<Action> actions, byte[] data) {
        List<OFAction> translated;
        try {
            translated = translator.actions(actions);
        } catch (UnsupportedByVersionException e) {
            return CompletableFuture.failedFuture(e);
        }
        return inLoop(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            channel.writeAndFlush(factory.buildPacketOut().setXid(xid()).setBufferId(OFBufferId.NO_BUFFER)
                    .setInPort(OFPort.of((int) inPort)).setActions(translated).setData(data).build())
                    .addListener(f -> {
                        if (f.isSuccess()) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(f.cause());
                        }
                    });
            return done;
        });
    }

    @Override
    public CompletableFuture<Void> sendGroups(List<GroupMod> mods) {
        if (version().singleTable()) {
            return unsupported("groups");
        }
        if (mods.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return inLoop(() -> {
            // A group-mod has no reply: the barrier behind them says they were applied (an error would come first).
            List<Long> xids = new ArrayList<>();
            List<CompletableFuture<List<OFMessage>>> sent = new ArrayList<>();
            for (GroupMod m : mods) {
                sent.add(request(x -> {
                    xids.add(x);
                    return translator.groupMod(m, x);
                }));
            }
            CompletableFuture<List<OFMessage>> barrier = request(x -> factory.buildBarrierRequest().setXid(x).build());
            barrier.whenComplete((r, e) -> xids.forEach(x -> {
                Pending p = pending.remove(x);
                if (p != null) {
                    p.future.complete(List.of());
                }
            }));
            return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .thenCompose(v -> barrier).thenApply(r -> (Void) null);
        });
    }

    @Override
    public CompletableFuture<GroupTable> groups() {
        if (version().singleTable()) {
            return CompletableFuture.completedFuture(GroupTable.EMPTY);
        }
        return inLoop(() -> request(x -> factory.buildGroupDescStatsRequest().setXid(x).build()))
                .thenApply(parts -> {
                    java.util.TreeMap<Long, io.weft.model.flow.FailoverGroup> failover = new java.util.TreeMap<>();
                    java.util.Set<Long> foreign = new java.util.HashSet<>();
                    for (OFMessage p : parts) {
                        for (OFGroupDescStatsEntry e : ((OFGroupDescStatsReply) p).getEntries()) {
                            long id = e.getGroup().getGroupNumber() & 0xffff_ffffL;
                            FlowTranslator.parse(e).ifPresentOrElse(g -> failover.put(id, g), () -> foreign.add(id));
                        }
                    }
                    return new GroupTable(failover, foreign);
                });
    }

    @Override
    public CompletableFuture<Void> ensureMeter(Meter meter) {
        if (version().singleTable()) {
            return unsupported("meters");
        }
        return inLoop(() -> request(x -> factory.buildMeterConfigStatsRequest().setXid(x).setMeterId(meter.id())
                .build())
                .handle((parts, err) -> err == null && parts.stream()
                        .flatMap(p -> ((OFMeterConfigStatsReply) p).getEntries().stream())
                        .anyMatch(c -> c.getMeterId() == meter.id()))
                .thenCompose(exists -> {
                    long[] modXid = new long[1];
                    CompletableFuture<List<OFMessage>> mod = request(x -> {
                        modXid[0] = x;
                        var build = factory.buildMeterMod().setXid(x)
                                .setCommand(exists ? OFMeterModCommand.MODIFY : OFMeterModCommand.ADD)
                                .setFlags(java.util.EnumSet.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST))
                                .setMeterId(meter.id());
                        List<OFMeterBand> bands = List.of(factory.meterBands().buildDrop()
                                .setRate(meter.packetsPerSecond()).setBurstSize(meter.burstPackets()).build());
                        // openflowj names the band list "meters" in 1.3 and "bands" from 1.4 on.
                        return (factory.getVersion() == OFVersion.OF_13 ? build.setMeters(bands) : build.setBands(bands))
                                .build();
                    });
                    // A meter-mod has no reply: the barrier after it says it was applied (an error would come first).
                    request(x -> factory.buildBarrierRequest().setXid(x).build()).whenComplete((r, e) -> {
                        Pending p = pending.remove(modXid[0]);
                        if (p != null) {
                            p.future.complete(List.of());
                        }
                    });
                    return mod.thenApply(r -> (Void) null);
                }));
    }

    /**
     * Flow stats of every table, each entry given to {@code eachEntry} (on the event loop) as its part arrives, so
     * that a table of tens of thousands of flows is never held whole. From OpenFlow 1.3 on the parts come read into
     * model flows ({@link FlowStatsDecoder}); 1.0's, and a part holding a foreign flow, through openflowj.
     */
    CompletableFuture<Void> flowStats(Consumer<FlowStat> eachEntry) {
        return request(x -> {
            var b = factory.buildFlowStatsRequest().setXid(x).setTableId(TableId.ALL).setOutPort(OFPort.ANY)
                    .setMatch(factory.matchWildcardAll());
            // 1.0 selects by table, match and out port only.
            return (factory.getVersion() == OFVersion.OF_10 ? b
                    : b.setOutGroup(OFGroup.ANY).setCookie(U64.ZERO).setCookieMask(U64.ZERO)).build();
        }, part -> FlowStat.entriesOf(part).forEach(eachEntry))
                .thenApply(none -> null);
    }

    @Override
    public CompletableFuture<Role> setRole(Role role, long generationId) {
        if (version().singleTable()) {
            return unsupported("controller roles");
        }
        OFControllerRole ofRole = switch (role) {
            case EQUAL -> OFControllerRole.ROLE_EQUAL;
            case MASTER -> OFControllerRole.ROLE_MASTER;
            case SLAVE -> OFControllerRole.ROLE_SLAVE;
        };
        return inLoop(() -> request(x -> factory.buildRoleRequest().setXid(x).setRole(ofRole)
                .setGenerationId(U64.of(generationId)).build()))
                .handle((r, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        if (cause instanceof OpenFlowErrorException e && e.error().getErrType()
                                == OFErrorType.ROLE_REQUEST_FAILED) {
                            throw new StaleRoleException("switch " + dpidString() + " refused " + role
                                    + " with generation " + generationId + ": " + e.getMessage());
                        }
                        throw error instanceof CompletionException ce ? ce : new CompletionException(error);
                    }
                    return switch (((OFRoleReply) r.get(0)).getRole()) {
                        case ROLE_MASTER -> Role.MASTER;
                        case ROLE_SLAVE -> Role.SLAVE;
                        default -> Role.EQUAL;
                    };
                });
    }

    @Override
    public void close() {
        channel.close();
    }

    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "switch " + dpidString() + " at " + (channel == null ? "?" : channel.remoteAddress());
    }
}
