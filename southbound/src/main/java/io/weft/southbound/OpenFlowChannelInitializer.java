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
    private final SharedFlowMods sharedFlowMods;

    /**
     * {@code live} and {@code sharedFlowMods} are shared by all connections of one server or connector: the newest
     * connection per datapath id wins, and a rule encoded for one switch is encoded for all.
     */
    OpenFlowChannelInitializer(SwitchListener listener, ChannelConfig config, SslContext ssl,
            Map<Long, SwitchConnection> live, SwitchAdmission admission, SharedFlowMods sharedFlowMods) {
        this.listener = listener;
        this.config = config;
        this.ssl = ssl;
        this.live = live;
        this.admission = admission;
        this.sharedFlowMods = sharedFlowMods;
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
        p.addLast("handler", new SwitchConnection(listener, config, live, admission, sharedFlowMods));
    }
}
