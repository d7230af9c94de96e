package io.weft.docker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's plugin protocol on a unix socket: {@code POST /Plugin.Activate}, {@code /NetworkDriver.*} and
 * {@code /IpamDriver.*}, JSON in and out, on Netty. A refusal is answered 200 with the protocol's error field
 * ({@code Err} for the network driver, {@code Error} for IPAM), which Docker shows as the reason its command failed.
 * Calls run on a worker pool, never on the event loop: some wait for Weft to install flows.
 */
public final class PluginServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginServer.class);
    private static final int MAX_BODY = 1 << 20;

    record Call<T>(Class<T> type, Function<T, Object> handler) {
        Object apply(byte[] body) throws IOException {
            T request = body.length == 0 || type == PluginApi.Empty.class ? null
                    : WeftApi.JSON.readValue(body, type);
            return handler.apply(request);
        }
    }

    record Reply(int status, Object body) {
    }

    private final Path socket;
    private final EventLoopGroup loops;
    private final ExecutorService workers;
    private final Channel channel;

    private PluginServer(Path socket, EventLoopGroup loops, ExecutorService workers, Channel channel) {
        this.socket = socket;
        this.loops = loops;
        this.workers = workers;
        this.channel = channel;
    }

    /** The calls Docker makes, each to the driver method that answers it. */
    static Map<String, Call<?>> calls(WeftDriver d) {
        PluginApi.Empty ok = new PluginApi.Empty();
        return Map.ofEntries(
                Map.entry("/Plugin.Activate", new Call<>(PluginApi.Empty.class, r -> d.activate())),
                Map.entry("/NetworkDriver.GetCapabilities",
                        new Call<>(PluginApi.Empty.class, r -> d.networkCapabilities())),
                Map.entry("/NetworkDriver.CreateNetwork", new Call<>(PluginApi.CreateNetwork.class, d::createNetwork)),
                Map.entry("/NetworkDriver.DeleteNetwork", new Call<>(PluginApi.NetworkId.class, d::deleteNetwork)),
                Map.entry("/NetworkDriver.CreateEndpoint",
                        new Call<>(PluginApi.CreateEndpoint.class, d::createEndpoint)),
                Map.entry("/NetworkDriver.EndpointOperInfo",
                        new Call<>(PluginApi.EndpointRef.class, d::endpointOperInfo)),
                Map.entry("/NetworkDriver.DeleteEndpoint", new Call<>(PluginApi.EndpointRef.class, d::deleteEndpoint)),
                Map.entry("/NetworkDriver.Join", new Call<>(PluginApi.Join.class, d::join)),
                // Docker takes the interface out of the container itself; external connectivity (port mappings) and
                // discovery are not Weft's: their calls succeed and change nothing, as the protocol allows.
                Map.entry("/NetworkDriver.Leave", new Call<>(PluginApi.EndpointRef.class, r -> ok)),
                Map.entry("/NetworkDriver.ProgramExternalConnectivity",
                        new Call<>(PluginApi.EndpointRef.class, r -> ok)),
                Map.entry("/NetworkDriver.RevokeExternalConnectivity",
                        new Call<>(PluginApi.EndpointRef.class, r -> ok)),
                Map.entry("/NetworkDriver.DiscoverNew", new Call<>(PluginApi.Empty.class, r -> ok)),
                Map.entry("/NetworkDriver.DiscoverDelete", new Call<>(PluginApi.Empty.class, r -> ok)),
                // Only called for swarm-scoped networks; a local-scope driver has nothing to allocate.
                Map.entry("/NetworkDriver.AllocateNetwork",
                        new Call<>(PluginApi.Empty.class, r -> Map.of("Options", Map.of()))),
                Map.entry("/NetworkDriver.FreeNetwork", new Call<>(PluginApi.Empty.class, r -> ok)),
                Map.entry("/IpamDriver.GetCapabilities", new Call<>(PluginApi.Empty.class, r -> d.ipamCapabilities())),
                Map.entry("/IpamDriver.GetDefaultAddressSpaces",
                        new Call<>(PluginApi.Empty.class, r -> d.addressSpaces())),
                Map.entry("/IpamDriver.RequestPool", new Call<>(PluginApi.RequestPool.class, d::requestPool)),
                Map.entry("/IpamDriver.ReleasePool", new Call<>(PluginApi.PoolRef.class, d::releasePool)),
                Map.entry("/IpamDriver.RequestAddress", new Call<>(PluginApi.RequestAddress.class, d::requestAddress)),
                Map.entry("/IpamDriver.ReleaseAddress",
                        new Call<>(PluginApi.ReleaseAddress.class, d::releaseAddress)));
    }

    /** Answers one call; also what the unit tests drive with Docker's captured bodies. */
    static Reply answer(Map<String, Call<?>> calls, String path, byte[] body) {
        Call<?> call = calls.get(path);
        String errorField = path.startsWith("/IpamDriver.") ? "Error" : "Err";
        if (call == null) {
            return new Reply(404, Map.of(errorField, "Weft's plugin does not implement " + path));
        }
        try {
            return new Reply(200, call.apply(body));
        } catch (PluginException e) {
            LOG.info("{} refused: {}", path, e.getMessage());
            return new Reply(200, Map.of(errorField, e.getMessage()));
        } catch (IOException e) {
            return new Reply(400, Map.of(errorField, "malformed " + path + " request: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("{} failed", path, e);
            return new Reply(200, Map.of(errorField, "Weft's plugin failed: " + e));
        }
    }

    /** Serves {@code driver} on {@code socket} (replacing a socket file a previous run left). */
    public static PluginServer start(WeftDriver driver, Path socket) throws IOException, InterruptedException {
        Map<String, Call<?>> calls = calls(driver);
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        EventLoopGroup loops = new EpollEventLoopGroup(1, new DefaultThreadFactory("weft-docker-io", true));
        ExecutorService workers = Executors.newCachedThreadPool(new DefaultThreadFactory("weft-docker-call", true));
        Channel channel = new ServerBootstrap().group(loops).channel(EpollServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new HttpServerCodec())
                                .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
                                .addLast("calls", new CallHandler(calls, workers));
                    }
                }).bind(new DomainSocketAddress(socket.toFile())).sync().channel();
        return new PluginServer(socket, loops, workers, channel);
    }

    private static final class CallHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Map<String, Call<?>> calls;
        private final ExecutorService workers;

        CallHandler(Map<String, Call<?>> calls, ExecutorService workers) {
            this.calls = calls;
            this.workers = workers;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = request.uri().replaceFirst("\\?.*", "");
            byte[] body = ByteBufUtil.getBytes(request.content());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            workers.execute(() -> {
                Reply reply = answer(calls, path, body);
                byte[] json;
                try {
                    json = WeftApi.JSON.writeValueAsBytes(reply.body());
                } catch (IOException e) {
                    json = ("{\"Err\":\"" + e.getMessage().replace('"', '\'') + "\"}").getBytes();
                }
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(json));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, PluginApi.CONTENT_TYPE)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
                HttpUtil.setKeepAlive(response, keepAlive);
                var written = ctx.writeAndFlush(response);
                if (!keepAlive) {
                    written.addListener(ChannelFutureListener.CLOSE);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("plugin connection closed: {}", cause.toString());
            ctx.close();
        }
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        channel.close().syncUninterruptibly();
        loops.shutdownGracefully().syncUninterruptibly();
        workers.shutdownNow();
        Files.deleteIfExists(socket);
    }
}
