package io.weft.southbound;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An OpenFlow connection target in Open vSwitch syntax. For the server: {@code tcp:IP:PORT}, {@code ssl:IP:PORT},
 * {@code unix:PATH}. For the connector (a bridge's passive target): {@code punix:PATH}, {@code ptcp:PORT[:IP]},
 * {@code pssl:PORT[:IP]} (meaning connect there), or the active forms.
 */
public record OpenFlowTarget(Kind kind, SocketAddress address) {

    public enum Kind { TCP, SSL, UNIX }

    public static OpenFlowTarget parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("OpenFlow target is missing");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not an OpenFlow target (tcp:IP:PORT, ssl:IP:PORT,"
                    + " unix:PATH, punix:PATH, ptcp:PORT[:IP])");
        }
        String scheme = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        return switch (scheme) {
            case "unix", "punix" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("'" + text + "' has no socket path");
                }
                yield new OpenFlowTarget(Kind.UNIX, new DomainSocketAddress(rest));
            }
            case "tcp", "ssl" -> new OpenFlowTarget(scheme.equals("tcp") ? Kind.TCP : Kind.SSL, hostPort(text, rest));
            case "ptcp", "pssl" -> {
                // Passive targets put the port first: ptcp:6653 or ptcp:6653:127.0.0.1.
                int c = rest.indexOf(':');
                String port = c < 0 ? rest : rest.substring(0, c);
                String host = c < 0 ? "127.0.0.1" : rest.substring(c + 1);
                yield new OpenFlowTarget(scheme.equals("ptcp") ? Kind.TCP : Kind.SSL, hostPort(text, host + ":" + port));
            }
            default -> throw new IllegalArgumentException("'" + text + "': unknown OpenFlow transport '" + scheme + "'");
        };
    }

    private static InetSocketAddress hostPort(String text, String hostPort) {
        int c = hostPort.lastIndexOf(':');
        if (c <= 0) {
            throw new IllegalArgumentException("'" + text + "' needs IP:PORT");
        }
        try {
            int port = Integer.parseInt(hostPort.substring(c + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostPort.substring(0, c), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port is not a number in 0..65535");
        }
    }
}
