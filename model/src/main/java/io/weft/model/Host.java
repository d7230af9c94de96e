package io.weft.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A machine running Open vSwitch that holds containers.
 *
 * @param name           unique host name; also the OVS {@code system-id} for passively connecting hosts
 * @param tunnelIp       the underlay address other hosts' tunnels point at
 * @param datapathType   datapath of the host's bridges
 * @param ovsdbTarget    how Weft reaches the host's ovsdb-server: {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT} or
 *                       {@code unix:PATH}; empty for a host that connects to Weft's passive OVSDB listener
 * @param openflowTarget a passive target on the bridge ({@code ptcp:PORT[:IP]}, {@code pssl:PORT[:IP]},
 *                       {@code punix:PATH}) that Weft connects to ({@link #openflowDialed}); empty when the bridge
 *                       connects to Weft's own OpenFlow listener
 * @param index          the host's number in the fabric, unique, given when it is registered: every other host's
 *                       tunnels toward it ask for the port numbers {@link io.weft.model.ovs.DesiredPort#tunnelOfport}
 *                       derives from it, so a remote endpoint's flows are the same on every host (and shared). Empty
 *                       for hosts registered before Weft numbered them, or beyond {@value #MAX_INDEXED} hosts.
 */
public record Host(String name, Ipv4Address tunnelIp, DatapathType datapathType,
                   Optional<String> ovsdbTarget, Optional<String> openflowTarget, OptionalInt index) {

    /** How many hosts get an index (and so tunnels with the same port number on every host). */
    public static final int MAX_INDEXED = 4096;

    /** A host without an index. */
    public Host(String name, Ipv4Address tunnelIp, DatapathType datapathType, Optional<String> ovsdbTarget,
                Optional<String> openflowTarget) {
        this(name, tunnelIp, datapathType, ovsdbTarget, openflowTarget, OptionalInt.empty());
    }

    public Host {
        Names.require("host", name);
        if (tunnelIp == null) {
            throw new IllegalArgumentException("host " + name + ": tunnelIp is missing");
        }
        if (datapathType == null) {
            throw new IllegalArgumentException("host " + name + ": datapathType is missing");
        }
        ovsdbTarget = ovsdbTarget == null ? Optional.empty() : ovsdbTarget;
        openflowTarget = openflowTarget == null ? Optional.empty() : openflowTarget;
        index = index == null ? OptionalInt.empty() : index;
        index.ifPresent(i -> {
            if (i < 0 || i >= MAX_INDEXED) {
                throw new IllegalArgumentException("host " + name + ": index " + i + " is outside 0.." + (MAX_INDEXED - 1));
            }
        });
        ovsdbTarget.ifPresent(t -> ConnectionTarget.connectable("ovsdb", t));
        openflowTarget.ifPresent(t -> ConnectionTarget.bridgeListener("openflow", t));
    }

    public Host withIndex(int i) {
        return new Host(name, tunnelIp, datapathType, ovsdbTarget, openflowTarget, OptionalInt.of(i));
    }

    /** Where Weft connects to the host's ovsdb-server; empty for a passive host. */
    public Optional<ConnectionTarget> ovsdbConnection() {
        return ovsdbTarget.map(ConnectionTarget::parse);
    }

    /** The bridge's own listener, as written into its Controller row. */
    public Optional<ConnectionTarget> openflowListener() {
        return openflowTarget.map(ConnectionTarget::parse);
    }

    /**
     * Where Weft connects to reach the bridge's listener: its path or IP, and for a bridge listening on every
     * address the host Weft reaches OVSDB at (over TCP), else the tunnel IP.
     */
    public Optional<ConnectionTarget> openflowDialed() {
        String address = ovsdbConnection().filter(t -> !t.kind().unix()).map(ConnectionTarget::host)
                .orElse(tunnelIp.toString());
        return openflowListener().map(t -> t.dialedAt(address));
    }

    /** A host as the compilers see it: name and tunnel address are all they need. */
    public static Host of(String name, String tunnelIp) {
        return new Host(name, Ipv4Address.parse(tunnelIp), DatapathType.NETDEV, Optional.empty(), Optional.empty());
    }
}
