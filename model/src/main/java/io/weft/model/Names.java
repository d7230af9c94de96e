package io.weft.model;

import java.util.regex.Pattern;

/** The one rule for user-chosen names (hosts, networks, endpoints): safe in URLs, OVSDB and logs. */
public final class Names {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private Names() {
    }

    public static String require(String kind, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(kind + " name is missing");
        }
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(kind + " name '" + name
                    + "' is invalid: use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
