package io.weft.model;

import io.weft.model.ovs.DesiredBridge;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for the port an endpoint names (the container's host-side interface): something Linux can call an
 * interface, in characters safe in OVSDB, shell commands and logs, and never a port Weft itself owns on br-int.
 */
public final class PortNames {

    /** Linux's IFNAMSIZ is 16 bytes, the terminating NUL included. */
    public static final int MAX_BYTES = 15;
    /** No '/', ':', whitespace or control characters (Linux refuses some, tools choke on the rest), no leading '.' or '-'. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private PortNames() {
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code name} and what to give instead */
    public static String requireEndpointPort(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("port is missing: name the container's host-side interface");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("port '" + printable(name) + "' is not an interface name: it is "
                    + bytes + " bytes long and Linux allows " + MAX_BYTES);
        }
        if (!SAFE.matcher(name).matches()) {
            throw new IllegalArgumentException("port '" + printable(name) + "' is not an interface name: use "
                    + "letters, digits, '_', '.' and '-', starting with a letter, digit or '_'");
        }
        Optional<String> owner = weftOwned(name);
        if (owner.isPresent()) {
            throw new IllegalArgumentException("port '" + name + "' belongs to Weft (" + owner.get() + "): an "
                    + "endpoint cannot claim it; give the container's own interface");
        }
        return name;
    }

    /** Why a port of this name on br-int is Weft's own, if it is. */
    public static Optional<String> weftOwned(String name) {
        if (name.equals(DesiredBridge.INTEGRATION_BRIDGE)) {
            return Optional.of("the integration bridge's own port");
        }
        if (TunnelPort.isTunnelPortName(name)) {
            return Optional.of("Weft names its tunnel ports vxlan-HOST, gre-HOST, vx-HASH and gr-HASH");
        }
        return Optional.empty();
    }

    /** The name with anything unprintable escaped, so that a message about it stays one readable line. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.isWhitespace(c) && c != ' '
                    || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
