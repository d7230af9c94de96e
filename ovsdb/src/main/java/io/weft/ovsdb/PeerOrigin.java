package io.weft.ovsdb;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who is at the other end of a connection, as the kernel and TLS report it rather than as the peer claims: its IP
 * address (TCP), its process id (unix socket, {@code SO_PEERCRED}) and the subject of the certificate that TLS
 * verified against the CA.
 */
public record PeerOrigin(Optional<InetAddress> address, OptionalInt pid, Optional<String> certificateSubject) {

    public static final PeerOrigin UNKNOWN = new PeerOrigin(Optional.empty(), OptionalInt.empty(), Optional.empty());

    /** Reads the channel; call after the TLS handshake, if any, succeeded. */
    static PeerOrigin of(Channel ch) {
        Optional<InetAddress> address = ch.remoteAddress() instanceof InetSocketAddress a
                ? Optional.ofNullable(a.getAddress()) : Optional.empty();
        OptionalInt pid = OptionalInt.empty();
        if (ch instanceof EpollDomainSocketChannel unix) {
            try {
                pid = OptionalInt.of(unix.peerCredentials().pid());
            } catch (IOException e) {
                // no credentials: the peer is known only by the socket it came through
            }
        }
        Optional<String> subject = Optional.empty();
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl != null) {
            try {
                subject = Optional.of(ssl.engine().getSession().getPeerPrincipal().getName());
            } catch (SSLPeerUnverifiedException e) {
                // handshake not done or no client certificate: not verified
            }
        }
        return new PeerOrigin(address, pid, subject);
    }

    /** Verified by TLS: the peer presented a certificate the CA signed. */
    public boolean certified() {
        return certificateSubject.isPresent();
    }
}
