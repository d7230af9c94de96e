package io.weft.ovsdb;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.weft.model.ByteBudget;
import io.weft.model.ConnectionTarget;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Netty side: one event loop group shared by all connections (epoll on Linux, which also gives unix domain
 * sockets), active connects and passive listeners. Pipeline per channel: [ssl], idle, frame decoder, handler.
 * Every connection's unfinished messages count against one {@link ByteBudget}: together they never buffer more.
 */
public final class OvsdbTransport implements AutoCloseable {

    /**
     * Default of the shared budget, 128 MiB: 8 connections each in the middle of a largest message. Hosts send large
     * messages only when they connect, and each is buffered only until its last byte arrives.
     */
    public static final long DEFAULT_BUFFER_BUDGET = 8L * ConnectionOptions.DEFAULT_MAX_FRAME_BYTES;

    private final EventLoopGroup group;
    private final boolean epoll;
    private final ByteBudget budget;

    private OvsdbTransport(EventLoopGroup group, boolean epoll, ByteBudget budget) {
        this.group = group;
        this.epoll = epoll;
        this.budget = budget;
    }

    public static OvsdbTransport create() {
        return create(0);
    }

    /** @param threads event loop threads, 0 for Netty's default */
    public static OvsdbTransport create(int threads) {
        return create(threads, DEFAULT_BUFFER_BUDGET);
    }

    /**
     * @param threads      event loop threads, 0 for Netty's default
     * @param bufferBudget bytes of unfinished messages all connections together may hold; a connection that would
     *                     exceed it is closed
     */
    public static OvsdbTransport create(int threads, long bufferBudget) {
        ByteBudget budget = new ByteBudget(bufferBudget);
        if (Epoll.isAvailable()) {
            return new OvsdbTransport(new EpollEventLoopGroup(threads), true, budget);
        }
        return new OvsdbTransport(new NioEventLoopGroup(threads), false, budget);
    }

    /** For timers (reconnect backoff, timeouts) that must not need a thread of their own. */
    public ScheduledExecutorService scheduler() {
        return group;
    }

    /** What the connections buffer now and at most so far, against the shared limit. */
    public ByteBudget bufferBudget() {
        return budget;
    }

    /** Connects to {@code tcp:}, {@code ssl:} or {@code unix:}; the future fails with a clear error, never hangs. */
    public CompletableFuture<OvsdbConnection> connect(String target, ConnectionOptions options) {
        CompletableFuture<OvsdbConnection> result = new CompletableFuture<>();
        ConnectionTarget t;
        SslContext ssl;
        try {
            t = ConnectionTarget.connectable("OVSDB", target);
            ssl = t.tls() ? tls(target, options).client() : null;
            if (t.kind().unix()) {
                requireEpoll(target);
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        Bootstrap b = new Bootstrap().group(group)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis());
        if (t.kind().unix()) {
            b.channel(EpollDomainSocketChannel.class);
        } else {
            b.channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true);
        }
        OvsdbConnection[] made = new OvsdbConnection[1];
        b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                made[0] = initPipeline(ch, target, options, ssl);
            }
        });
        ChannelFuture cf = b.connect(address(t));
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new OvsdbConnectionException(target + ": cannot connect: "
                        + f.cause().getMessage(), f.cause()));
                return;
            }
            whenSecured(cf.channel(), made[0]).whenComplete((c, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(c);
                }
            });
        });
        return result;
    }

    /**
     * Listens on {@code ptcp:PORT[:IP]}, {@code pssl:PORT[:IP]} or {@code punix:PATH} for ovsdb-servers that were
     * told {@code ovs-vsctl set-manager tcp:|ssl:|unix:...}; each accepted connection goes to {@code onAccept}, on
     * {@code pssl:} once its certificate was verified (a peer whose certificate the CA did not sign is closed).
     */
    public CompletableFuture<Listening> listen(String target, ConnectionOptions options,
                                               Consumer<OvsdbConnection> onAccept) {
        CompletableFuture<Listening> result = new CompletableFuture<>();
        ConnectionTarget t;
        SslContext ssl;
        try {
            t = ConnectionTarget.listener("OVSDB listen", target);
            ssl = t.tls() ? tls(target, options).server() : null;
            if (t.kind().unix()) {
                requireEpoll(target);
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        ServerBootstrap b = new ServerBootstrap().group(group);
        if (t.kind().unix()) {
            try {
                Files.deleteIfExists(Path.of(t.path()));
            } catch (java.io.IOException e) {
                result.completeExceptionally(e);
                return result;
            }
            b.channel(EpollServerDomainSocketChannel.class);
        } else {
            b.channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
        }
        b.childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                String peer = target + " <- " + (ch.remoteAddress() == null ? "peer" : ch.remoteAddress());
                OvsdbConnection c = initPipeline(ch, peer, options, ssl);
                ch.eventLoop().execute(() -> whenSecured(ch, c).thenAccept(onAccept));
            }
        });
        b.bind(address(t)).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                result.complete(new Listening(f.channel(), target));
            } else {
                result.completeExceptionally(new OvsdbConnectionException(target + ": cannot listen: "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        return result;
    }

    /** The connection once TLS (if any) verified the peer, with its {@link PeerOrigin}; fails the connection else. */
    private static CompletableFuture<OvsdbConnection> whenSecured(Channel ch, OvsdbConnection c) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl == null) {
            c.origin(PeerOrigin.of(ch));
            return CompletableFuture.completedFuture(c);
        }
        CompletableFuture<OvsdbConnection> secured = new CompletableFuture<>();
        ssl.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                c.origin(PeerOrigin.of(ch));
                secured.complete(c);
            } else {
                c.fail(new OvsdbConnectionException(c.peer() + ": TLS handshake failed: " + h.cause().getMessage()
                        + TlsContexts.hint(h.cause()), h.cause()));
                secured.completeExceptionally(c.failure().orElseThrow());
            }
        });
        return secured;
    }

    private static SocketAddress address(ConnectionTarget t) {
        if (t.kind().unix()) {
            return new DomainSocketAddress(t.path());
        }
        return t.host() == null ? new InetSocketAddress(t.port()) : new InetSocketAddress(t.host(), t.port());
    }

    /** A bound listener; {@link #localPort()} tells the port chosen for {@code ptcp:0}. */
    public record Listening(Channel channel, String target) implements AutoCloseable {
        public int localPort() {
            return channel.localAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
        }
    }

    private OvsdbConnection initPipeline(Channel ch, String peer, ConnectionOptions options, SslContext ssl) {
        OvsdbConnection connection = new OvsdbConnection(ch, peer);
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("ssl", ssl.newHandler(ch.alloc()));
        }
        long probe = options.inactivityProbe().toMillis();
        p.addLast("idle", new IdleStateHandler(probe, 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("frames", new OvsdbFrameDecoder(options.maxFrameBytes(), budget));
        p.addLast("ovsdb", new OvsdbChannelHandler(connection, options.maxFrameBytes(), probe));
        return connection;
    }

    private static TlsContexts tls(String target, ConnectionOptions options) {
        return options.tls().orElseThrow(() -> new IllegalArgumentException(target + " needs TLS, and no "
                + "certificate is configured (--tls-cert, --tls-key and --tls-ca)"));
    }

    private void requireEpoll(String target) {
        if (!epoll) {
            throw new IllegalStateException(target + ": unix sockets need Netty's native epoll transport (Linux)");
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
