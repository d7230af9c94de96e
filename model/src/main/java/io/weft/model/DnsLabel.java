package io.weft.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One DNS label as a host name may use it (RFC 1123): 1-63 letters, digits and hyphens, not starting or ending with
 * a hyphen. Names compare without case, so a label is kept in lower case.
 */
public final class DnsLabel {

    private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private DnsLabel() {
    }

    /** {@code label} in lower case; fails, saying why, when it is not a host name label. */
    public static String require(String label) {
        return require("alias", label);
    }

    /** As {@link #require(String)}, naming the label {@code what} (an alias, a hostname) in the failure. */
    public static String require(String what, String label) {
        if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty: give a DNS label such as web1");
        }
        String lower = label.toLowerCase(Locale.ROOT);
        if (!VALID.matcher(lower).matches()) {
            throw new IllegalArgumentException(what + " '" + label + "' is not a DNS label: use 1-63 letters, "
                    + "digits or '-', starting and ending with a letter or digit (no dots)");
        }
        return lower;
    }

    /** Whether {@code name} is a valid label, in any case. */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }
}
