package io.weft.ovsdb;

import java.nio.file.Path;

/**
 * A parsed OVS connection target: active {@code tcp:IP:PORT}, {@code ssl:IP:PORT}, {@code unix:PATH} or passive
 * {@code ptcp:PORT[:IP]}, {@code punix:PATH}.
 */
public record OvsdbTarget(Kind kind, String host, int port, Path path) {

    public enum Kind { TCP, SSL, UNIX, PTCP, PUNIX }

    public static OvsdbTarget parse(String target) {
        if (target == null) {
            throw new IllegalArgumentException("OVSDB target is missing");
        }
        int colon = target.indexOf(':');
        String scheme = colon < 0 ? "" : target.substring(0, colon);
        String rest = colon < 0 ? "" : target.substring(colon + 1);
        try {
            switch (scheme) {
                case "tcp", "ssl" -> {
                    int last = rest.lastIndexOf(':');
                    if (last <= 0) {
                        break;
                    }
                    String host = rest.substring(0, last);
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1); // IPv6: tcp:[::1]:6640
                    }
                    return new OvsdbTarget(scheme.equals("tcp") ? Kind.TCP : Kind.SSL, host,
                            port(rest.substring(last + 1)), null);
                }
                case "ptcp" -> {
                    String[] parts = rest.split(":", 2);
                    return new OvsdbTarget(Kind.PTCP, parts.length > 1 ? parts[1] : "0.0.0.0", port(parts[0]), null);
                }
                case "unix", "punix" -> {
                    if (rest.startsWith("/")) {
                        return new OvsdbTarget(scheme.equals("unix") ? Kind.UNIX : Kind.PUNIX, null, 0, Path.of(rest));
                    }
                }
                default -> {
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("OVSDB target '" + target
                + "' is invalid (expected tcp:IP:PORT, ssl:IP:PORT, unix:/path, ptcp:PORT[:IP] or punix:/path)");
    }

    public boolean passive() {
        return kind == Kind.PTCP || kind == Kind.PUNIX;
    }

    private static int port(String text) {
        int p = Integer.parseInt(text);
        if (p < 0 || p > 65535) {
            throw new NumberFormatException(text);
        }
        return p;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TCP -> "tcp:" + host + ":" + port;
            case SSL -> "ssl:" + host + ":" + port;
            case PTCP -> "ptcp:" + port + ":" + host;
            case UNIX -> "unix:" + path;
            case PUNIX -> "punix:" + path;
        };
    }
}
