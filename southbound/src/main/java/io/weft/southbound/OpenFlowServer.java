package io.weft.southbound;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.weft.model.ConnectionTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for switches ({@code ovs-vsctl set-controller br-int unix:/run/weft/of.sock} or {@code tcp:IP:PORT}).
 * A unix socket is a file, so bridges in other network namespaces reach it without any IP address.
 */
public final class OpenFlowServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenFlowServer.class);

    private final SwitchListener listener;
    private final ChannelConfig config;
    private final SwitchAdmission admission;
    private final Map<Long, SwitchConnection> live = new ConcurrentHashMap<>();
    private final SharedFlowMods sharedFlowMods = new SharedFlowMods();
    private final List<Channel> servers = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private EventLoopGroup group;

    public OpenFlowServer(SwitchListener listener, ChannelConfig config) {
        this(listener, config, SwitchAdmission.ANY);
    }

    /** @param admission which switches are served, decided on their datapath id */
    public OpenFlowServer(SwitchListener listener, ChannelConfig config, SwitchAdmission admission) {
        this.listener = listener;
        this.config = config;
        this.admission = admission;
    }

    /** Binds every target or none: on a failure the ones already bound are closed again. */
    public synchronized void start(List<String> listenTargets) {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        List<ConnectionTarget> targets = listenTargets.stream()
                .map(t -> ConnectionTarget.bindable("OpenFlow listen", t)).toList();
        group = new EpollEventLoopGroup(config.eventLoopThreads());
        try {
            for (ConnectionTarget t : targets) {
                bind(t);
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void bind(ConnectionTarget t) {
        if (t.tls() && config.sslContext() == null) {
            throw new IllegalArgumentException("OpenFlow listen target " + t + " needs TLS, and no certificate is "
                    + "configured (--tls-cert, --tls-key and --tls-ca)");
        }
        ServerBootstrap b = new ServerBootstrap().group(group)
                .childHandler(new OpenFlowChannelInitializer(listener, config, t.tls() ? config.sslContext() : null,
                        live, admission, sharedFlowMods));
        if (t.kind().unix()) {
            Path path = Path.of(t.path());
            try {
                // A socket file left by a previous run would make bind fail.
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove stale socket " + path, e);
            }
            b.channel(EpollServerDomainSocketChannel.class);
            socketFiles.add(path);
        } else {
            b.channel(EpollServerSocketChannel.class).option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true);
        }
        Channel ch = b.bind(OpenFlowConnector.address(t)).syncUninterruptibly().channel();
        servers.add(ch);
        LOG.info("OpenFlow listening on {}", ch.localAddress());
    }

    /** Where the server actually listens (a tcp port 0 becomes the chosen port). */
    public synchronized List<SocketAddress> boundAddresses() {
        return servers.stream().map(Channel::localAddress).toList();
    }

    public synchronized void stop() {
        for (Channel ch : servers) {
            ch.close().syncUninterruptibly();
        }
        servers.clear();
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
        for (Path p : socketFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("cannot remove socket {}", p, e);
            }
        }
        socketFiles.clear();
    }

    @Override
    public void close() {
        stop();
    }
}
