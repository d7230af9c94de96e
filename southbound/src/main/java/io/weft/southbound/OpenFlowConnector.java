package io.weft.southbound;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to bridges' passive targets ({@code punix:/path}, {@code ptcp:PORT}) and keeps connecting: when a
 * connection drops or cannot be made (ovs-vswitchd restarting), it tries again after {@code retry}.
 */
public final class OpenFlowConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenFlowConnector.class);

    private final SwitchListener listener;
    private final ChannelConfig config;
    private final Map<Long, SwitchConnection> live = new ConcurrentHashMap<>();
    private final Duration retry;
    private final EventLoopGroup group;
    private final Set<String> maintained = ConcurrentHashMap.newKeySet();
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public OpenFlowConnector(SwitchListener listener, ChannelConfig config, Duration retry) {
        this.listener = listener;
        this.config = config;
        this.retry = retry;
        this.group = new EpollEventLoopGroup(config.eventLoopThreads());
    }

    /** Starts maintaining a connection to {@code target}; switch events arrive through the listener. */
    public void connect(String target) {
        OpenFlowTarget t = OpenFlowTarget.parse(target);
        if (t.kind() == OpenFlowTarget.Kind.SSL && config.sslContext() == null) {
            throw new IllegalArgumentException("ssl target needs ChannelConfig.sslContext");
        }
        if (maintained.add(target)) {
            attempt(target, t);
        }
    }

    /** Stops maintaining {@code target} (an open connection stays until the switch or close() ends it). */
    public void forget(String target) {
        maintained.remove(target);
    }

    private void attempt(String target, OpenFlowTarget t) {
        if (closed || !maintained.contains(target)) {
            return;
        }
        Bootstrap b = new Bootstrap().group(group)
                .handler(new OpenFlowChannelInitializer(listener, config,
                        t.kind() == OpenFlowTarget.Kind.SSL ? config.sslContext() : null, live))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        b.channel(t.kind() == OpenFlowTarget.Kind.UNIX ? EpollDomainSocketChannel.class : EpollSocketChannel.class);
        ChannelFuture f = b.connect(t.address());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                LOG.debug("cannot connect to {}: {}; retrying in {}", target, done.cause().toString(), retry);
                schedule(target, t);
                return;
            }
            Channel ch = f.channel();
            open.add(ch);
            ch.closeFuture().addListener(x -> {
                open.remove(ch);
                schedule(target, t);
            });
        });
    }

    private void schedule(String target, OpenFlowTarget t) {
        if (!closed && !group.isShuttingDown()) {
            group.schedule(() -> attempt(target, t), retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        maintained.clear();
        for (Channel ch : open) {
            ch.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
