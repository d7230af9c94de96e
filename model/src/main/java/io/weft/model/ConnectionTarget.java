package io.weft.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * An Open vSwitch connection target, the one parser of them in Weft: {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT},
 * {@code unix:PATH} (active) and {@code ptcp:PORT[:IP]}, {@code pssl:PORT[:IP]}, {@code punix:PATH} (passive).
 * HOST is an IPv4 address, an IPv6 address in brackets or a DNS name; a passive IP is an address literal (brackets
 * optional). PATH is absolute, normalized and fits a socket address (107 bytes). A target that parses is one Weft
 * can use: the checks below ({@link #connectable}, {@link #bridgeListener}, {@link #listener}) say for what.
 *
 * @param host an IPv4/IPv6 literal (without brackets) or DNS name; for a passive target with no IP, {@code null}
 * @param port 0..65535 for TCP kinds (0: any port, only for Weft's own listeners), 0 for unix kinds
 * @param path the socket path of unix kinds, else {@code null}
 */
public record ConnectionTarget(Kind kind, String host, int port, String path) {

    /** Longest socket path: {@code sun_path} holds 108 bytes with the terminating NUL. */
    public static final int MAX_PATH_BYTES = 107;

    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
    private static final String FORMS = "tcp:HOST:PORT, ssl:HOST:PORT, unix:/PATH, ptcp:PORT[:IP], pssl:PORT[:IP] or "
            + "punix:/PATH";

    public enum Kind {
        TCP, SSL, UNIX, PTCP, PSSL, PUNIX;

        public String scheme() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean passive() {
            return this == PTCP || this == PSSL || this == PUNIX;
        }

        public boolean tls() {
            return this == SSL || this == PSSL;
        }

        public boolean unix() {
            return this == UNIX || this == PUNIX;
        }

        /** The active kind that reaches a listener of this kind. */
        public Kind dialed() {
            return switch (this) {
                case PTCP -> TCP;
                case PSSL -> SSL;
                case PUNIX -> UNIX;
                default -> this;
            };
        }
    }

    public ConnectionTarget {
        if (kind == null) {
            throw new IllegalArgumentException("target kind is missing");
        }
        if (kind.unix()) {
            if (host != null || port != 0) {
                throw new IllegalArgumentException(kind.scheme() + ": targets have a path, no host or port");
            }
            checkPath(path);
        } else {
            if (path != null) {
                throw new IllegalArgumentException(kind.scheme() + ": targets have no path");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0..65535");
            }
            if (host == null ? !kind.passive() : !validHost(host, kind.passive())) {
                throw new IllegalArgumentException("'" + host + "' is not " + (kind.passive() ? "an IP address"
                        : "an IPv4 address, an IPv6 address or a DNS name"));
            }
        }
    }

    /** Parses OVS syntax; the message of a refusal says what is wrong and which forms exist. */
    public static ConnectionTarget parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("target is missing (expected " + FORMS + ")");
        }
        if (text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("target '" + printable(text) + "' contains whitespace or control "
                    + "characters");
        }
        int colon = text.indexOf(':');
        Kind kind = colon < 0 ? null : kindOf(text.substring(0, colon));
        if (kind == null) {
            throw new IllegalArgumentException("'" + text + "' has no known transport (expected " + FORMS + ")");
        }
        String rest = text.substring(colon + 1);
        try {
            if (kind.unix()) {
                return new ConnectionTarget(kind, null, 0, rest);
            }
            if (kind.passive()) {
                int c = rest.indexOf(':');
                String ip = c < 0 ? null : stripBrackets(rest.substring(c + 1));
                return new ConnectionTarget(kind, ip, port(c < 0 ? rest : rest.substring(0, c)), null);
            }
            String host;
            String port;
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("expected [IPv6]:PORT");
                }
                host = rest.substring(1, close);
                port = rest.substring(close + 2);
            } else {
                int c = rest.lastIndexOf(':');
                if (c < 0) {
                    throw new IllegalArgumentException("the port is missing (" + kind.scheme() + ":HOST:PORT)");
                }
                host = rest.substring(0, c);
                port = rest.substring(c + 1);
                if (host.contains(":")) {
                    throw new IllegalArgumentException("write an IPv6 address in brackets, e.g. "
                            + kind.scheme() + ":[::1]:6640");
                }
            }
            return new ConnectionTarget(kind, host, port(port), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
    }

    /** For a target Weft connects to: active, with a real port. */
    public static ConnectionTarget connectable(String what, String text) {
        ConnectionTarget t = parse(what, text);
        if (t.kind.passive()) {
            throw invalid(what, text, "it is passive; Weft connects to tcp:HOST:PORT, ssl:HOST:PORT or unix:/PATH");
        }
        t.requireRealPort(what, text);
        return t;
    }

    /**
     * For a passive target Weft writes into a bridge and then connects to ({@link #dialedAt}): the bridge must
     * listen on a port Weft knows, so not 0.
     */
    public static ConnectionTarget bridgeListener(String what, String text) {
        ConnectionTarget t = parse(what, text);
        if (!t.kind.passive()) {
            throw invalid(what, text, "the bridge listens there, so it is passive: ptcp:PORT[:IP], pssl:PORT[:IP] "
                    + "or punix:/PATH");
        }
        t.requireRealPort(what, text);
        return t;
    }

    /** For a listener of Weft's own, named in passive form: port 0 picks a free port. */
    public static ConnectionTarget listener(String what, String text) {
        ConnectionTarget t = parse(what, text);
        if (!t.kind.passive()) {
            throw invalid(what, text, "expected ptcp:PORT[:IP], pssl:PORT[:IP] or punix:/PATH");
        }
        return t;
    }

    /**
     * For a listener of Weft's own named in active form, as {@code --openflow-listen tcp:IP:PORT}: an address to
     * bind (an IP literal), port 0 picks a free port.
     */
    public static ConnectionTarget bindable(String what, String text) {
        ConnectionTarget t = parse(what, text);
        if (t.kind.passive()) {
            throw invalid(what, text, "expected tcp:IP:PORT, ssl:IP:PORT or unix:/PATH");
        }
        if (!t.kind.unix() && !validHost(t.host, true)) {
            throw invalid(what, text, "'" + t.host + "' is not an IP address to listen on");
        }
        return t;
    }

    /** The same check with the name of the thing in the message: "ovsdb target 'x' is invalid: ...". */
    private static ConnectionTarget parse(String what, String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " target is invalid: " + e.getMessage());
        }
    }

    private void requireRealPort(String what, String text) {
        if (!kind.unix() && port == 0) {
            throw invalid(what, text, "port 0 is not a port Weft can connect to (use 1..65535)");
        }
    }

    private static IllegalArgumentException invalid(String what, String text, String why) {
        return new IllegalArgumentException(what + " target '" + printable(text) + "' is invalid: " + why);
    }

    public boolean passive() {
        return kind.passive();
    }

    public boolean tls() {
        return kind.tls();
    }

    /** A passive TCP target without IP, or with 0.0.0.0 or ::, listens on every address. */
    public boolean everyAddress() {
        return kind.passive() && !kind.unix() && (host == null || host.equals("0.0.0.0") || host.equals("::"));
    }

    /**
     * Where Weft connects to reach this bridge listener: {@code punix:P} at {@code unix:P}; {@code ptcp:PORT:IP} at
     * {@code tcp:IP:PORT}, or at {@code fallback} (the host's address) when the bridge listens on every address.
     */
    public ConnectionTarget dialedAt(String fallback) {
        if (!kind.passive()) {
            return this;
        }
        return new ConnectionTarget(kind.dialed(), kind.unix() ? null : everyAddress() ? fallback : host, port, path);
    }

    /** The canonical OVS text. */
    @Override
    public String toString() {
        if (kind.unix()) {
            return kind.scheme() + ":" + path;
        }
        String h = host != null && host.contains(":") ? "[" + host + "]" : host;
        if (kind.passive()) {
            return kind.scheme() + ":" + port + (h == null ? "" : ":" + h);
        }
        return kind.scheme() + ":" + h + ":" + port;
    }

    private static Kind kindOf(String scheme) {
        for (Kind k : Kind.values()) {
            if (k.scheme().equals(scheme)) {
                return k;
            }
        }
        return null;
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port '" + text + "' is not a number in 0..65535");
        }
        int p = Integer.parseInt(text);
        if (p > 65535) {
            throw new IllegalArgumentException("port " + p + " is outside 0..65535");
        }
        return p;
    }

    private static String stripBrackets(String ip) {
        return ip.length() > 1 && ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
    }

    private static void checkPath(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("the socket path must be absolute");
        }
        if (!Path.of(path).normalize().toString().equals(path) || path.equals("/")) {
            throw new IllegalArgumentException("the socket path must be a normalized file path (no '.', '..', '//' "
                    + "or trailing '/')");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("the socket path is longer than " + MAX_PATH_BYTES + " bytes, which a "
                    + "unix socket address cannot hold");
        }
    }

    private static boolean validHost(String host, boolean literalOnly) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.contains(":")) {
            return ipv6(host);
        }
        String[] labels = host.split("\\.", -1);
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return ipv4(host); // all-numeric last label: an IPv4 address or nothing
        }
        if (literalOnly || host.length() > 253) {
            return false;
        }
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean ipv4(String text) {
        try {
            Ipv4Address.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Only hex digits, ':' and '.' reach InetAddress, which then parses a literal and never asks DNS. */
    private static boolean ipv6(String text) {
        if (!IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String printable(String text) {
        return text == null ? "null" : text.replaceAll("\\p{Cntrl}", "?");
    }
}
