package io.weft.northbound.rest;

import io.weft.model.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API's bearer tokens, read once from a file ({@code --rest-tokens}): one token a line, with its scope and
 * the name of whoever holds it, blank lines and {@code #} comments ignored:
 * <pre>
 * # token                                                           scope  name
 * 9f2c4e0b6a1d8e3f7c5b2a9d4e6f8a0c1b3d5e7f9a2c4e6b8d0f1a3c5e7b9d2f admin  orchestrator
 * 3b5d7f9a1c3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5a7c9e1b3d5f7a9c1e3b5d read   dashboard
 * </pre>
 * Only a digest of each token is kept, so a lookup compares digests and the tokens themselves stay in the file.
 */
public final class BearerTokens {

    /** What a token may do: {@code read} is GET (and HEAD); {@code admin} is every method. */
    public enum Scope {
        READ, ADMIN;

        boolean allows(Scope needed) {
            return compareTo(needed) >= 0;
        }
    }

    /** Whoever presented a token. */
    public record Client(String name, Scope scope) {
    }

    static final int MIN_LENGTH = 16;
    /** RFC 6750's b64token. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Logger LOG = LoggerFactory.getLogger(BearerTokens.class);

    private final Map<String, Client> byDigest;

    private BearerTokens(Map<String, Client> byDigest) {
        this.byDigest = Map.copyOf(byDigest);
    }

    /** @throws IllegalArgumentException naming the file and line of the first mistake */
    public static BearerTokens load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the REST token file " + file + ": " + e.getMessage(), e);
        }
        warnIfOthersCanRead(file);
        return parse(lines, file.toString());
    }

    static BearerTokens parse(List<String> lines, String source) {
        Map<String, Client> byDigest = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException(where + ": expected TOKEN SCOPE NAME (scope admin or read), got "
                        + f.length + " field(s)");
            }
            if (f[0].length() < MIN_LENGTH || !TOKEN.matcher(f[0]).matches()) {
                throw new IllegalArgumentException(where + ": the token is not at least " + MIN_LENGTH
                        + " characters of letters, digits and -._~+/ (make one with: openssl rand -hex 32)");
            }
            Scope scope = switch (f[1]) {
                case "admin" -> Scope.ADMIN;
                case "read" -> Scope.READ;
                default -> throw new IllegalArgumentException(where + ": scope '" + f[1] + "' is unknown: use admin "
                        + "(every request) or read (GET only)");
            };
            try {
                Names.require("token holder", f[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (byDigest.put(digest(f[0]), new Client(f[2], scope)) != null) {
                throw new IllegalArgumentException(where + ": this token is already listed above; give each holder "
                        + "its own");
            }
        }
        if (byDigest.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no token: every request would be refused");
        }
        return new BearerTokens(byDigest);
    }

    /** The holder of {@code token}, if it is one of ours. */
    public Optional<Client> authenticate(String token) {
        return Optional.ofNullable(byDigest.get(digest(token)));
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("REST token file {} is readable by other users: chmod 600 it", file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
