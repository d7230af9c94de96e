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
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * The Netty side: one event loop group shared by all connections (epoll on Linux, which also gives unix domain
 * sockets), active connects and passive listeners. Pipeline per channel: [ssl], idle, frame decoder, handler.
 */
public final class OvsdbTransport implements AutoCloseable {

    private final EventLoopGroup group;
    private final boolean epoll;

    private OvsdbTransport(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    public static OvsdbTransport create() {
        return create(0);
    }

    /** @param threads event loop threads, 0 for Netty's default */
    public static OvsdbTransport create(int threads) {
        if (Epoll.isAvailable()) {
            return new OvsdbTransport(new EpollEventLoopGroup(threads), true);
        }
        return new OvsdbTransport(new NioEventLoopGroup(threads), false);
    }

    /** For timers (reconnect backoff, timeouts) that must not need a thread of their own. */
    public ScheduledExecutorService scheduler() {
        return group;
    }

    /** Connects to {@code tcp:}, {@code ssl:} or {@code unix:}; the future fails with a clear error, never hangs. */
    public CompletableFuture<OvsdbConnection> connect(String target, ConnectionOptions options) {
        CompletableFuture<OvsdbConnection> result = new CompletableFuture<>();
        OvsdbTarget t;
        SslContext ssl;
        try {
            t = OvsdbTarget.parse(target);
            if (t.passive()) {
                throw new IllegalArgumentException("'" + target + "' is a passive target; use listen()");
            }
            ssl = t.kind() == OvsdbTarget.Kind.SSL ? clientSsl(target, options) : null;
            if (t.kind() == OvsdbTarget.Kind.UNIX) {
                requireEpoll(target);
            }
        } catch (RuntimeException | SSLException e) {
            result.completeExceptionally(e);
            return result;
        }
        SocketAddress address;
        Bootstrap b = new Bootstrap().group(group)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis());
        if (t.kind() == OvsdbTarget.Kind.UNIX) {
            b.channel(EpollDomainSocketChannel.class);
            address = new DomainSocketAddress(t.path().toFile());
        } else {
            b.channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true);
            address = new InetSocketAddress(t.host(), t.port());
        }
        OvsdbConnection[] made = new OvsdbConnection[1];
        b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                made[0] = initPipeline(ch, target, options, ssl == null ? null : ssl);
            }
        });
        ChannelFuture cf = b.connect(address);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new OvsdbConnectionException(target + ": cannot connect: "
                        + f.cause().getMessage(), f.cause()));
                return;
            }
            if (ssl == null) {
                result.complete(made[0]);
                return;
            }
            cf.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    result.complete(made[0]);
                } else {
                    made[0].fail(new OvsdbConnectionException(target + ": TLS handshake failed: "
                            + h.cause().getMessage(), h.cause()));
                    result.completeExceptionally(made[0].failure().orElseThrow());
                }
            });
        });
        return result;
    }

    /**
     * Listens on {@code ptcp:PORT[:IP]} or {@code punix:PATH} for ovsdb-servers that were told
     * {@code ovs-vsctl set-manager tcp:...|unix:...}; each accepted connection goes to {@code onAccept}.
     */
    public CompletableFuture<Listening> listen(String target, ConnectionOptions options,
                                               Consumer<OvsdbConnection> onAccept) {
        CompletableFuture<Listening> result = new CompletableFuture<>();
        OvsdbTarget t;
        try {
            t = OvsdbTarget.parse(target);
            if (!t.passive()) {
                throw new IllegalArgumentException("'" + target + "' is not a passive target (ptcp: or punix:)");
            }
            if (t.kind() == OvsdbTarget.Kind.PUNIX) {
                requireEpoll(target);
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        ServerBootstrap b = new ServerBootstrap().group(group);
        SocketAddress address;
        if (t.kind() == OvsdbTarget.Kind.PUNIX) {
            try {
                Files.deleteIfExists(t.path());
            } catch (java.io.IOException e) {
                result.completeExceptionally(e);
                return result;
            }
            b.channel(EpollServerDomainSocketChannel.class);
            address = new DomainSocketAddress(t.path().toFile());
        } else {
            b.channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
            address = new InetSocketAddress(t.host(), t.port());
        }
        b.childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                String peer = target + " <- " + (ch.remoteAddress() == null ? "peer" : ch.remoteAddress());
                OvsdbConnection c = initPipeline(ch, peer, options, null);
                ch.eventLoop().execute(() -> onAccept.accept(c));
            }
        });
        b.bind(address).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                result.complete(new Listening(f.channel(), target));
            } else {
                result.completeExceptionally(new OvsdbConnectionException(target + ": cannot listen: "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        return result;
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

    private static OvsdbConnection initPipeline(Channel ch, String peer, ConnectionOptions options, SslContext ssl) {
        OvsdbConnection connection = new OvsdbConnection(ch, peer);
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("ssl", ssl.newHandler(ch.alloc()));
        }
        long probe = options.inactivityProbe().toMillis();
        p.addLast("idle", new IdleStateHandler(probe, 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("frames", new OvsdbFrameDecoder(options.maxFrameBytes()));
        p.addLast("ovsdb", new OvsdbChannelHandler(connection, options.maxFrameBytes(), probe));
        return connection;
    }

    private static SslContext clientSsl(String target, ConnectionOptions options) throws SSLException {
        SslConfig c = options.ssl().orElseThrow(() -> new IllegalArgumentException(
                target + ": ssl: target needs an SslConfig (private key, certificate, CA certificate)"));
        return SslContextBuilder.forClient()
                .keyManager(c.certificate().toFile(), c.privateKey().toFile())
                .trustManager(c.caCertificate().toFile())
                .build();
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
