package io.weft.southbound;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.weft.model.ConnectionTarget;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to bridges that listen (at the active form of their passive target: {@code unix:/path},
 * {@code tcp:IP:PORT}, {@code ssl:IP:PORT}) and keeps connecting: when a connection drops or cannot be made
 * (ovs-vswitchd restarting), it tries again after {@code retry}.
 */
public final class OpenFlowConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenFlowConnector.class);

    private final SwitchListener listener;
    private final ChannelConfig config;
    private final SwitchAdmission admission;
    private final Map<Long, SwitchConnection> live = new ConcurrentHashMap<>();
    private final SharedFlowMods sharedFlowMods = new SharedFlowMods();
    private final Duration retry;
    private final EventLoopGroup group;
    private final Set<String> maintained = ConcurrentHashMap.newKeySet();
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public OpenFlowConnector(SwitchListener listener, ChannelConfig config, Duration retry) {
        this(listener, config, retry, SwitchAdmission.ANY);
    }

    /** @param admission which switches are served, decided on their datapath id */
    public OpenFlowConnector(SwitchListener listener, ChannelConfig config, Duration retry,
                             SwitchAdmission admission) {
        this.listener = listener;
        this.config = config;
        this.retry = retry;
        this.admission = admission;
        this.group = new EpollEventLoopGroup(config.eventLoopThreads());
    }

    /** Starts maintaining a connection to {@code target}; switch events arrive through the listener. */
    public void connect(String target) {
        ConnectionTarget t = ConnectionTarget.connectable("OpenFlow", target);
        if (t.tls() && config.sslContext() == null) {
            throw new IllegalArgumentException("OpenFlow target " + target + " needs TLS, and no certificate is "
                    + "configured (--tls-cert, --tls-key and --tls-ca)");
        }
        if (maintained.add(target)) {
            attempt(target, t);
        }
    }

    /** Stops maintaining {@code target} (an open connection stays until the switch or close() ends it). */
    public void forget(String target) {
        maintained.remove(target);
    }

    /** The socket address of an active target (unix path or host and port). */
    static SocketAddress address(ConnectionTarget t) {
        return t.kind().unix() ? new DomainSocketAddress(t.path()) : new InetSocketAddress(t.host(), t.port());
    }

    private void attempt(String target, ConnectionTarget t) {
        if (closed || !maintained.contains(target)) {
            return;
        }
        Bootstrap b = new Bootstrap().group(group)
                .handler(new OpenFlowChannelInitializer(listener, config, t.tls() ? config.sslContext() : null, live,
                        admission, sharedFlowMods))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        b.channel(t.kind().unix() ? EpollDomainSocketChannel.class : EpollSocketChannel.class);
        ChannelFuture f = b.connect(address(t));
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

    private void schedule(String target, ConnectionTarget t) {
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
