package io.weft.northbound.rest;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.weft.ovsdb.SslConfig;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The one Jetty connector the API listens on: plain HTTP/1.1, or HTTPS with the controller's PEM key. */
final class Connectors {

    /**
     * How long a connection may sit idle between requests. A waited write is not idle: its request is being
     * handled, and Jetty does not time it out (its own bound is the wait's duration).
     */
    static final long IDLE_TIMEOUT_MS = 30_000;

    private Connectors() {
    }

    static ServerConnector of(Server server, HttpConfiguration http, RestConfig config) {
        ServerConnector connector;
        if (config.listen().https()) {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // One certificate, no virtual hosts: whether its names fit the address used is the client's check
            // (an ovs-pki certificate names no host at all).
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setSslContext(sslContext(config.tls().orElseThrow()));
            connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(https));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        return connector;
    }

    /**
     * The server side of TLS from PEM files, read by Netty as the OpenFlow and OVSDB channels read them: a
     * certificate file (text before the PEM block, as ovs-pki writes, is fine) and an unencrypted PKCS#8 key, as
     * {@code openssl req -nodes} and ovs-pki make.
     */
    static SSLContext sslContext(SslConfig files) {
        try {
            return ((JdkSslContext) SslContextBuilder.forServer(files.certificate().toFile(),
                    files.privateKey().toFile()).sslProvider(SslProvider.JDK).build()).context();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot serve HTTPS with certificate " + files.certificate()
                    + " and key " + files.privateKey() + ": " + e.getMessage() + ". The key must be an unencrypted "
                    + "PEM PKCS#8 key (BEGIN PRIVATE KEY); convert another with: openssl pkcs8 -topk8 -nocrypt "
                    + "-in KEY -out KEY.pk8", e);
        }
    }
}
