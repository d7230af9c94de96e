package io.weft.southbound;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;

/**
 * A minimal OpenFlow switch on a plain socket, for fault injection: it completes the handshake with empty
 * tables, answers barriers and (while {@code answerEchoes}) echoes, and lets a test inject errors for chosen
 * messages through {@code rejecter}. It offers OpenFlow 1.3 unless told other versions, and answers in whatever
 * version the controller's first request uses (the one the controller negotiated).
 */
final class FakeSwitch implements AutoCloseable {

    /** Port 1 as an OpenFlow 1.0 switch lists it in its features reply. */
    static final long PORT = 1;

    volatile OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
    final long dpid;
    final List<OFMessage> received = new CopyOnWriteArrayList<>();
    volatile boolean answerEchoes = true;
    /** Echo requests received while {@code answerEchoes} was off. */
    final AtomicInteger unansweredEchoes = new AtomicInteger();
    /** Parts of every flow stats reply, all but the last flagged REPLY_MORE; a flooding switch sets thousands. */
    volatile int flowStatsParts = 1;
    /** Rewrites each flow stats reply part's bytes before they are sent (a switch that sends malformed ones). */
    volatile UnaryOperator<byte[]> flowStatsWire = b -> b;
    /** Returns an error to send for a message, or null to accept it. */
    volatile Function<OFMessage, OFMessage> rejecter = m -> null;

    private final Socket socket;
    private final Thread reader;
    private volatile boolean closedByPeer;
    /** Set by the controller's first message after HELLO: {@code f} is then the negotiated version's. */
    private boolean negotiated;

    FakeSwitch(SocketAddress server, long dpid) throws IOException {
        this(server, dpid, 1);
    }

    FakeSwitch(SocketAddress server, long dpid, int flowStatsParts) throws IOException {
        this(server, dpid, flowStatsParts, List.of(OFVersion.OF_13));
    }

    /**
     * Offers {@code versions}: a HELLO of the highest, with a version bitmap when there are several (OpenFlow 1.0's
     * HELLO has none: a 1.0 switch offers 1.0 alone, by its header).
     */
    FakeSwitch(SocketAddress server, long dpid, int flowStatsParts, List<OFVersion> versions) throws IOException {
        this.dpid = dpid;
        this.flowStatsParts = flowStatsParts;
        socket = new Socket();
        socket.connect(server, 5000);
        socket.setTcpNoDelay(true);
        OFVersion highest = versions.stream().max(OFVersion::compareTo).orElseThrow();
        OFFactory hello = OFFactories.getFactory(highest);
        if (versions.size() > 1) {
            long bits = versions.stream().mapToLong(v -> 1L << v.getWireVersion()).reduce(0, (a, b) -> a | b);
            send(hello.buildHello().setXid(1).setElements(List.of(hello.helloElemVersionbitmap(
                    List.of(U32.of(bits))))).build());
        } else {
            send(hello.buildHello().setXid(1).build());
        }
        reader = new Thread(this::loop, "fake-switch-" + dpid);
        reader.setDaemon(true);
        reader.start();
    }

    static FakeSwitch connect(int port, long dpid) throws IOException {
        return new FakeSwitch(new InetSocketAddress("127.0.0.1", port), dpid);
    }

    static FakeSwitch connect(int port, long dpid, OFVersion... versions) throws IOException {
        return new FakeSwitch(new InetSocketAddress("127.0.0.1", port), dpid, 1, List.of(versions));
    }

    boolean closedByPeer() {
        return closedByPeer;
    }

    private void loop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                byte[] header = new byte[8];
                in.readFully(header);
                int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
                byte[] whole = new byte[length];
                System.arraycopy(header, 0, whole, 0, 8);
                in.readFully(whole, 8, length - 8);
                ByteBuf buf = Unpooled.wrappedBuffer(whole);
                OFMessage m = OFFactories.getGenericReader().readFrom(buf);
                if (!negotiated && m.getType() != OFType.HELLO) {
                    negotiated = true;
                    f = OFFactories.getFactory(m.getVersion());
                }
                received.add(m);
                answer(m);
            }
        } catch (Exception e) {
            closedByPeer = true;
        }
    }

    private void answer(OFMessage m) throws IOException {
        OFMessage error = rejecter.apply(m);
        if (error != null) {
            send(error);
            return;
        }
        long x = m.getXid();
        switch (m.getType()) {
            case FEATURES_REQUEST -> {
                var reply = f.buildFeaturesReply().setXid(x).setDatapathId(DatapathId.of(dpid)).setNBuffers(0)
                        .setNTables((short) 254);
                if (f.getVersion() == OFVersion.OF_10) {
                    reply.setPorts(List.of(f.buildPortDesc().setPortNo(OFPort.of((int) PORT)).setName("p1")
                            .setHwAddr(MacAddress.of(0x0200_0000_0001L)).build()));
                }
                send(reply.build());
            }
            case ECHO_REQUEST -> {
                if (answerEchoes) {
                    send(f.buildEchoReply().setXid(x).build());
                } else {
                    unansweredEchoes.incrementAndGet();
                }
            }
            case BARRIER_REQUEST -> send(f.buildBarrierReply().setXid(x).build());
            case STATS_REQUEST -> {
                String type = m.getClass().getSimpleName();
                if (type.contains("PortDesc")) {
                    send(f.buildPortDescStatsReply().setXid(x).setEntries(List.of()).build());
                } else if (type.contains("FlowStats")) {
                    sendFlowStats(x);
                } else if (type.contains("GroupDesc")) {
                    send(f.buildGroupDescStatsReply().setXid(x).setEntries(List.of()).build());
                }
            }
            default -> {
            }
        }
    }

    /** Parts of 500 flows each (about 40 KiB), as a switch with a huge table sends them. */
    private void sendFlowStats(long xid) throws IOException {
        List<OFFlowStatsEntry> flows = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            flows.add(f.buildFlowStatsEntry().setTableId(TableId.of(0)).setPriority(i).setCookie(U64.of(i))
                    .setMatch(f.matchWildcardAll()).build());
        }
        for (int part = 1; part < flowStatsParts; part++) {
            write(flowStatsWire.apply(bytes(f.buildFlowStatsReply().setXid(xid)
                    .setFlags(java.util.Set.of(OFStatsReplyFlags.REPLY_MORE)).setEntries(flows).build())));
        }
        write(flowStatsWire.apply(bytes(f.buildFlowStatsReply().setXid(xid).setEntries(List.of()).build())));
    }

    void send(OFMessage m) throws IOException {
        write(bytes(m));
    }

    private static byte[] bytes(OFMessage m) {
        ByteBuf buf = Unpooled.buffer();
        m.writeTo(buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    private synchronized void write(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
