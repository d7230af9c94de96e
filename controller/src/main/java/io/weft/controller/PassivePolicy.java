package io.weft.controller;

import io.weft.model.ConnectionTarget;
import io.weft.model.ovs.DesiredBridge;
import io.weft.ovsdb.PassiveIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the passive OVSDB listener, and which OpenFlow target such a host may have Weft dial. Everything a
 * passive peer writes in its {@code external_ids} is its own claim, so the rules rest on what it cannot make up:
 * <ul>
 * <li>A peer is allowed when TLS verified its certificate against {@code --tls-ca}, or when its system-id is on the
 * operator's allow-list ({@code --ovsdb-allow}, {@code --ovsdb-allow-file}). Every other peer is refused.</li>
 * <li>{@code weft-openflow=ptcp:PORT[:IP]} or {@code pssl:} is dialed at IP, which must then be the address the
 * host connected from or its tunnel IP, or (no IP) at the tunnel IP.</li>
 * <li>{@code weft-openflow=punix:PATH} names a socket on Weft's own machine, so it is taken only from a host that
 * connected over a {@code punix:} listener, and PATH must be {@code DIR/br-int.NAME} where DIR holds that host's
 * own ovsdb-server socket (its run directory, read from the connecting process's command line): what Open vSwitch
 * itself allows a bridge's unix socket to be.</li>
 * </ul>
 */
final class PassivePolicy {

    private final Set<String> allowed;
    private final Optional<Path> allowFile;
    private Set<String> fromFile = Set.of();
    private FileTime fileRead;

    PassivePolicy(Set<String> allowed, Optional<Path> allowFile) {
        this.allowed = Set.copyOf(allowed);
        this.allowFile = allowFile;
        allowFile.ifPresent(f -> {
            if (!Files.isReadable(f)) {
                throw new IllegalArgumentException("--ovsdb-allow-file " + f + " is not a readable file");
            }
            reload();
        });
    }

    static PassivePolicy of(SouthboundSettings settings) {
        return new PassivePolicy(settings.ovsdbAllow(), settings.ovsdbAllowFile());
    }

    /** @throws IllegalStateException saying how the operator allows this peer */
    void requireAllowed(PassiveIdentity caller) {
        if (caller.origin().certified() || allowed.contains(caller.systemId())
                || reload().contains(caller.systemId())) {
            return;
        }
        throw new IllegalStateException("system-id " + caller.systemId() + " is not allowed to connect passively: "
                + "add it to --ovsdb-allow" + allowFile.map(f -> " or " + f).orElse("") + ", or have it connect "
                + "over pssl: with a certificate signed by --tls-ca");
    }

    /** @throws IllegalStateException when the host names an OpenFlow target that is not its own */
    void requireOwnOpenflowTarget(PassiveIdentity caller, ConnectionTarget target, String tunnelIp) {
        if (target.kind().unix()) {
            requireOwnRunDirectory(caller, Path.of(target.path()));
        } else if (!target.everyAddress() && !target.host().equals(tunnelIp)
                && !caller.origin().address().map(a -> sameAddress(a, target.host())).orElse(false)) {
            throw new IllegalStateException("it may name only its own address in " + target + ": the one it "
                    + "connected from or its tunnel IP " + tunnelIp + " (or none: Weft then dials the tunnel IP)");
        }
    }

    private static void requireOwnRunDirectory(PassiveIdentity caller, Path socket) {
        if (caller.origin().pid().isEmpty()) {
            throw new IllegalStateException("a punix: target names a socket on Weft's own machine, so it is taken "
                    + "only from a host connected over a punix: listener; over the network name ptcp:PORT or "
                    + "pssl:PORT");
        }
        int pid = caller.origin().pid().getAsInt();
        List<Path> runDirs = ovsdbServerSocketDirectories(pid);
        String prefix = DesiredBridge.INTEGRATION_BRIDGE + ".";
        if (!runDirs.contains(socket.getParent()) || !socket.getFileName().toString().startsWith(prefix)) {
            throw new IllegalStateException("punix:" + socket + " is not in this host's own run directory: it must "
                    + "be DIR/" + prefix + "NAME, as Open vSwitch requires, where DIR holds the host's ovsdb-server "
                    + "socket (" + (runDirs.isEmpty() ? "none found for process " + pid : runDirs) + ")");
        }
    }

    /** The directories of the {@code --remote=punix:} sockets on an ovsdb-server's command line. */
    static List<Path> ovsdbServerSocketDirectories(int pid) {
        String[] args;
        try {
            args = new String(Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).split("\0");
        } catch (IOException e) {
            return List.of();
        }
        Set<Path> dirs = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String value = args[i].startsWith("--remote=") ? args[i].substring("--remote=".length())
                    : args[i].equals("--remote") && i + 1 < args.length ? args[i + 1] : null;
            if (value != null && value.startsWith("punix:/")) {
                Path p = Path.of(value.substring("punix:".length())).normalize().getParent();
                if (p != null) {
                    dirs.add(p);
                }
            }
        }
        return List.copyOf(dirs);
    }

    private static boolean sameAddress(InetAddress a, String literal) {
        try {
            return a.equals(InetAddress.getByName(literal)); // a literal: ConnectionTarget admits no name here
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The file's ids, read again when it changed; a file that became unreadable keeps the last ones. */
    private synchronized Set<String> reload() {
        if (allowFile.isEmpty()) {
            return Set.of();
        }
        Path f = allowFile.get();
        try {
            FileTime modified = Files.getLastModifiedTime(f);
            if (!modified.equals(fileRead)) {
                Set<String> ids = new HashSet<>();
                for (String line : Files.readAllLines(f)) {
                    String id = line.replaceFirst("#.*", "").strip();
                    if (!id.isEmpty()) {
                        ids.add(id);
                    }
                }
                fromFile = Set.copyOf(ids);
                fileRead = modified;
            }
        } catch (IOException | UncheckedIOException e) {
            if (fileRead == null) {
                throw new IllegalArgumentException("--ovsdb-allow-file " + f + " cannot be read: " + e.getMessage(),
                        e);
            }
        }
        return fromFile;
    }
}
