package io.weft.model;

import java.util.regex.Pattern;

/** Validation of OVS-style connection targets ({@code tcp:IP:PORT}, {@code ssl:...}, {@code unix:PATH} and passive forms). */
public final class Targets {

    private static final Pattern ACTIVE = Pattern.compile("(tcp|ssl):[^:\\s]+:\\d{1,5}|unix:/\\S+");
    private static final Pattern PASSIVE = Pattern.compile("p(tcp|ssl):\\d{1,5}(:[^\\s]+)?|punix:/\\S+");

    private Targets() {
    }

    public static String requireActive(String what, String target) {
        if (target == null || !ACTIVE.matcher(target).matches()) {
            throw new IllegalArgumentException(what + " target '" + target
                    + "' is invalid (expected tcp:IP:PORT, ssl:IP:PORT or unix:/absolute/path)");
        }
        return target;
    }

    public static String requirePassive(String what, String target) {
        if (target == null || !PASSIVE.matcher(target).matches()) {
            throw new IllegalArgumentException(what + " target '" + target
                    + "' is invalid (expected ptcp:PORT[:IP], pssl:PORT[:IP] or punix:/absolute/path)");
        }
        return target;
    }
}
