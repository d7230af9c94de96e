package io.weft.controller;

import io.weft.controller.intent.HostSpec;
import io.weft.controller.intent.IntentException;
import io.weft.controller.intent.IntentService;
import io.weft.controller.store.StoreState;
import io.weft.model.ConnectionTarget;
import io.weft.model.Host;
import io.weft.ovsdb.OvsdbHost;
import io.weft.ovsdb.PassiveHostLookup;
import io.weft.ovsdb.PassiveIdentity;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each passive OVSDB connection its host's session, registering a host it has never seen from its
 * {@code Open_vSwitch.external_ids} (as {@code ovn-controller} reads {@code ovn-encap-ip} there). Registration goes
 * through {@link IntentService}, so it is validated exactly as {@code POST /hosts}; the reconciler then opens the
 * host's passive session ({@link #opened}) and the waiting connection is handed to it at once.
 */
final class PassiveHostRegistrar implements PassiveHostLookup {

    static final String TUNNEL_IP = "weft-tunnel-ip";
    static final String OVN_ENCAP_IP = "ovn-encap-ip";
    static final String DATAPATH_TYPE = "weft-datapath-type";
    static final String OPENFLOW = "weft-openflow";

    private static final Logger log = LoggerFactory.getLogger(PassiveHostRegistrar.class);

    private final IntentService intents;
    private final Supplier<StoreState> intent;
    private final PassivePolicy policy;
    private final Duration handoverTimeout;
    /** Per host name: its passive session, or a pending future that connections wait on until it is opened. */
    private final Map<String, CompletableFuture<OvsdbHost>> sessions = new ConcurrentHashMap<>();

    /**
     * @param intent          the committed intent, to tell whether a caller is registered already
     * @param policy          which peers may connect and which OpenFlow targets they may name
     * @param handoverTimeout how long a connection waits for its host's session before it is closed
     */
    PassiveHostRegistrar(IntentService intents, Supplier<StoreState> intent, PassivePolicy policy,
                         Duration handoverTimeout) {
        this.intents = intents;
        this.intent = intent;
        this.policy = policy;
        this.handoverTimeout = handoverTimeout;
    }

    /** The reconciler opened a passive session: connections waiting for this host get it. */
    void opened(OvsdbHost session) {
        CompletableFuture<OvsdbHost> slot = sessions.compute(session.name(),
                (name, old) -> old != null && !old.isDone() ? old : new CompletableFuture<>());
        // Completed outside compute(): whoever waits attaches the connection right here, on this thread.
        slot.complete(session);
    }

    /** The reconciler let go of a passive session; later connections wait for the next one. */
    void closed(OvsdbHost session) {
        sessions.computeIfPresent(session.name(), (name, slot) -> slot.getNow(null) == session ? null : slot);
    }

    @Override
    public CompletableFuture<OvsdbHost> sessionFor(PassiveIdentity caller) {
        Optional<Host> registered;
        try {
            policy.requireAllowed(caller);
            registered = registerIfUnknown(caller);
        } catch (IllegalStateException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return sessions.computeIfAbsent(caller.systemId(), name -> new CompletableFuture<>()).copy()
                .orTimeout(handoverTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((session, e) -> {
                    if (e != null) {
                        throw new CompletionException(new IllegalStateException("host " + caller.systemId()
                                + " got no OVSDB session within " + handoverTimeout.toMillis() + " ms"
                                + (registered.isPresent() ? " of being registered" : "")
                                + "; ovsdb-server will connect again"));
                    }
                    registered.ifPresentOrElse(
                            host -> log.info("host {} connected passively over OVSDB from {} and was registered "
                                            + "(tunnel IP {}, datapath {}{})", host.name(), caller.peer(),
                                    host.tunnelIp(), host.datapathType().ovsValue(),
                                    host.openflowTarget().map(t -> ", OpenFlow at " + t).orElse("")),
                            () -> log.info("host {} connected passively over OVSDB from {}", caller.systemId(),
                                    caller.peer()));
                    return session;
                });
    }

    /**
     * Registers the caller when no host has its name; returns the host it registered, or empty when it was known.
     *
     * @throws IllegalStateException saying which external_ids key to set, when the caller cannot be registered
     */
    private Optional<Host> registerIfUnknown(PassiveIdentity caller) {
        String name = caller.systemId();
        Host known = intent.get().hosts().get(name);
        if (known != null) {
            known.ovsdbTarget().ifPresent(target -> {
                throw new IllegalStateException("host " + name + " is registered with the active OVSDB target "
                        + target + ", so Weft connects to it there: remove this manager on the host "
                        + "(ovs-vsctl del-manager) or re-register the host without \"ovsdb\"");
            });
            return Optional.empty();
        }
        Map<String, String> ids = caller.externalIds();
        String tunnelKey = ids.containsKey(TUNNEL_IP) ? TUNNEL_IP : OVN_ENCAP_IP;
        String tunnelIp = ids.get(tunnelKey);
        if (tunnelIp == null) {
            throw new IllegalStateException("system-id " + name + " is not a registered host and has no tunnel IP "
                    + "to register it with: set external_ids:" + TUNNEL_IP + " (or " + OVN_ENCAP_IP + ") to its "
                    + "underlay address, e.g. ovs-vsctl set Open_vSwitch . external_ids:" + TUNNEL_IP + "=192.0.2.10");
        }
        // OVN allows several encap IPs separated by commas; the first is the host's main one.
        String mainTunnelIp = tunnelIp.split(",")[0].strip();
        String openflow = ids.get(OPENFLOW);
        if (openflow != null) {
            try {
                policy.requireOwnOpenflowTarget(caller, ConnectionTarget.bridgeListener("openflow", openflow),
                        mainTunnelIp);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalStateException("system-id " + name + " cannot be registered: fix external_ids:"
                        + OPENFLOW + " (" + e.getMessage() + ")");
            }
        }
        HostSpec spec = new HostSpec(name, mainTunnelIp, null, ids.get(DATAPATH_TYPE), openflow);
        try {
            return Optional.of(intents.createHost(spec).hosts().get(name));
        } catch (IntentException e) {
            if (intent.get().hosts().containsKey(name)) {
                return registerIfUnknown(caller); // registered by someone else in the meantime
            }
            throw new IllegalStateException("system-id " + name + " cannot be registered: " + e.getMessage()
                    + "; fix external_ids:" + keyBehind(e.getMessage(), tunnelKey));
        }
    }

    /** Which external_ids key the intent service's complaint is about (its messages name the HostSpec field). */
    private static String keyBehind(String message, String tunnelKey) {
        if (message.contains("tunnelIp")) {
            return tunnelKey;
        }
        if (message.contains("datapath")) {
            return DATAPATH_TYPE + " (system or netdev)";
        }
        if (message.contains("openflow")) {
            return OPENFLOW + " (a passive target such as punix:/path or ptcp:6653)";
        }
        return "system-id";
    }
}
