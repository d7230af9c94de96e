package io.weft.docker;

import java.util.regex.Pattern;

/**
 * The names of one container interface: a token of 8 hex digits gives the host side ({@code wh<token>}, the br-int
 * port Weft adds), the container side ({@code wc<token>}, which Docker moves in and renames {@code eth<n>}) and the
 * Weft endpoint ({@code <host>-<token>}). The host side's name is how the agent recognises its own endpoints.
 */
public record Veth(String token) {

    private static final Pattern HOST_SIDE = Pattern.compile("wh([0-9a-f]{8})");

    public static Veth fresh() {
        return new Veth(PoolBook.randomHex(4));
    }

    public String hostSide() {
        return "wh" + token;
    }

    public String containerSide() {
        return "wc" + token;
    }

    public String endpointName(String host) {
        return host + "-" + token;
    }

    /** Whether {@code port} is a host side this agent made. */
    public static boolean isAgents(String port) {
        return port != null && HOST_SIDE.matcher(port).matches();
    }

    public static Veth ofHostSide(String port) {
        var m = HOST_SIDE.matcher(port);
        if (!m.matches()) {
            throw new IllegalArgumentException(port + " is not an agent's veth");
        }
        return new Veth(m.group(1));
    }
}
