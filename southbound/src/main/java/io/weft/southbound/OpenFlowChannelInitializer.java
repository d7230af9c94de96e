package io.weft.southbound;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The per-connection pipeline: a short list of named stages (Floodlight's shape). */
final class OpenFlowChannelInitializer extends ChannelInitializer<Channel> {

    private final SwitchListener listener;
    private final ChannelConfig config;
    private final SslContext ssl;
    private final Map<Long, SwitchConnection> live;
    private final SwitchAdmission admission;

    /** {@code live} is shared by all connections of one server or connector: the newest per datapath id wins. */
    OpenFlowChannelInitializer(SwitchListener listener, ChannelConfig config, SslContext ssl,
            Map<Long, SwitchConnection> live, SwitchAdmission admission) {
        this.listener = listener;
        this.config = config;
        this.ssl = ssl;
        this.live = live;
        this.admission = admission;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("ssl", ssl.newHandler(ch.alloc()));
        }
        p.addLast("decoder", new OfMessageDecoder());
        p.addLast("encoder", OfMessageEncoder.INSTANCE);
        p.addLast("idle", new IdleStateHandler(config.echoInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("keepalive", new EchoKeepAlive());
        p.addLast("handshakeTimeout", new HandshakeTimeout(config.handshakeTimeout()));
        p.addLast("handler", new SwitchConnection(listener, config, live, admission));
    }
}
