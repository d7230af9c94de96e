package io.weft.controller;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.weft.model.DatapathId;
import io.etcd.jetcd.Client;
import io.weft.controller.adapters.OvsdbHostSide;
import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.cluster.ReplicaInfo;
import io.weft.controller.cluster.Replicas;
import io.weft.controller.intent.IntentService;
import io.weft.controller.metrics.ControllerMetrics;
import io.weft.controller.names.NameService;
import io.weft.controller.reconcile.OvsdbSide;
import io.weft.controller.reconcile.Reconciler;
import io.weft.controller.store.MvStore;
import io.weft.controller.store.Store;
import io.weft.controller.store.TimedStore;
import io.weft.controller.store.etcd.EtcdStore;
import io.weft.controller.view.ControllerView;
import io.weft.controller.reconcile.HostConnectionException;
import io.weft.model.ConnectionTarget;
import io.weft.model.Host;
import io.weft.ovsdb.ConnectionOptions;
import io.weft.ovsdb.OvsdbHost;
import io.weft.ovsdb.OvsdbManagerListener;
import io.weft.ovsdb.OvsdbTransport;
import io.weft.ovsdb.ReconnectBackoff;
import io.weft.ovsdb.TlsContexts;
import io.weft.southbound.ChannelConfig;
import io.weft.southbound.OpenFlowConnector;
import io.weft.southbound.OpenFlowServer;
import io.weft.southbound.PacketIn;
import io.weft.southbound.PortEvent;
import io.weft.southbound.SwitchAdmission;
import io.weft.southbound.SwitchHandle;
import io.weft.southbound.SwitchListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running controller: the store, the reconciler, the OVSDB and OpenFlow southbounds, and every
 * {@link Northbound} on the class path. Closing it stops Weft; the switches keep their flows.
 */
public final class WeftRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WeftRuntime.class);
    /** This build's version, as {@code weft --version} says it and each replica registers it. */
    public static final String VERSION = "0.1.0";
    /** How long a passive OVSDB connection waits for the reconciler to open its host's session. */
    private static final Duration PASSIVE_HANDOVER_TIMEOUT = Duration.ofSeconds(10);

    private final ControllerMetrics metrics = new ControllerMetrics();
    private final Optional<Client> etcd;
    private final Store store;
    private final ScheduledExecutorService executor;
    private final OvsdbTransport ovsdbTransport;
    private final Reconciler reconciler;
    private final Replicas replicas;
    private final NameService names;
    private final OpenFlowServer openflowServer;
    private final OpenFlowConnector openflowConnector;
    private final List<Northbound> northbounds = new ArrayList<>();
    private final IntentService intents;
    private final PassiveHostRegistrar passiveHosts;
    private final Optional<TlsContexts> tls;
    private final ConnectionOptions ovsdbOptions;
    /** Every open host session, for the OpenFlow admission by datapath id ({@link #isKnownDatapath}). */
    private final Set<OvsdbHost> sessions = ConcurrentHashMap.newKeySet();
    private volatile OvsdbManagerListener managerListener;

    private WeftRuntime(ControllerSettings settings, StartupTimeline timeline) {
        // TLS files first: an unusable certificate stops the start before anything is opened.
        this.tls = settings.tls().map(TlsContexts::load);
        // One etcd client per replica: the store's, which the replicas' election reuses (etcdClient()).
        this.etcd = settings.etcd().map(EtcdTarget::connect);
        try {
            // The embedded store makes its own directory, private to Weft (0700); the etcd store needs none.
            this.store = new TimedStore(settings.etcd().isPresent()
                    ? EtcdStore.open(etcd.get(), settings.etcd().get(), EtcdStore.Settings.DEFAULTS)
                    : MvStore.open(settings.dataDir()), metrics.registry());
        } catch (RuntimeException e) {
            etcd.ifPresent(Client::close);
            throw e;
        }
        timeline.done("store");
        this.executor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("weft-reconcile", true));
        SouthboundSettings southbound = settings.southbound();
        this.ovsdbTransport = OvsdbTransport.create(0, southbound.ovsdbBufferBudget());
        ConnectionOptions options = ConnectionOptions.defaults().withMaxFrameBytes(southbound.ovsdbMaxMessageBytes());
        this.ovsdbOptions = tls.map(options::withTls).orElse(options);
        this.intents = new IntentService(store, settings.underlayMtu(), tls.isPresent());
        this.passiveHosts = new PassiveHostRegistrar(intents, store::current, PassivePolicy.of(southbound),
                PASSIVE_HANDOVER_TIMEOUT);
        ReplicaInfo self = new ReplicaInfo(settings.replicas().id().orElse(restAuthority(settings.restListen())),
                restUrl(settings.restListen()), settings.openflowAdvertise(), java.time.Instant.now().toString(),
                VERSION);
        // The reconciler is made below; the replicas call it only once started.
        this.replicas = etcdClient().map(client -> Replicas.onEtcd(client, settings.etcd().orElseThrow(), self,
                        settings.replicas(), this::leadershipChanged, this::replicaTargets))
                .orElseGet(() -> Replicas.sole(self));
        // connectHost needs the connector below; the reconciler calls it only once started.
        this.reconciler = new Reconciler(store, this::connectHost, settings.openflowAdvertise(), executor,
                Clock.systemUTC(), new Reconciler.Settings(settings.auditInterval(),
                        Reconciler.Settings.DEFAULTS.fullReadEvery()), metrics.registry(), replicas.leadership());
        this.names = new NameService(reconciler, settings.dnsUpstream(), metrics.registry());
        // With replicas the leader's reconciler sends the DNS meter as master; a sole controller sends it here.
        SwitchEvents events = new SwitchEvents(reconciler, names, settings.etcd().isEmpty());
        SwitchAdmission admission = southbound.openflowRequireKnown() ? this::refuseUnknown : SwitchAdmission.ANY;
        // One budget for the multipart replies gathered from every switch, listened to or dialed.
        ChannelConfig openflow = ChannelConfig.defaults();
        this.openflowServer = new OpenFlowServer(events,
                tls.map(t -> openflow.withSslContext(t.server())).orElse(openflow), admission);
        this.openflowConnector = new OpenFlowConnector(events,
                tls.map(t -> openflow.withSslContext(t.client())).orElse(openflow), Duration.ofMillis(200), admission);
    }

    /** Starts everything; a failure to bind any listener stops what was started and rethrows. */
    public static WeftRuntime start(ControllerSettings settings) {
        return start(settings, StartupTimeline.startingNow());
    }

    /** As {@link #start(ControllerSettings)}, recording where the start's time goes in {@code timeline}. */
    public static WeftRuntime start(ControllerSettings settings, StartupTimeline timeline) {
        WeftRuntime runtime = new WeftRuntime(settings, timeline);
        try {
            runtime.startAll(settings, timeline);
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private void startAll(ControllerSettings settings, StartupTimeline timeline) {
        for (String target : settings.openflowListen()) {
            if (target.startsWith("unix:")) {
                deleteStaleSocket(Path.of(target.substring("unix:".length())));
            }
        }
        openflowServer.start(settings.openflowListen());
        log.info("OpenFlow listening on {}; bridges are told {}", settings.openflowListen(),
                settings.openflowAdvertise());
        settings.ovsdbListen().ifPresent(target -> {
            if (target.startsWith("punix:")) {
                deleteStaleSocket(Path.of(target.substring("punix:".length())));
            }
            managerListener = OvsdbManagerListener.start(ovsdbTransport, target, ovsdbOptions, passiveHosts).join();
            log.info("OVSDB manager listener on {}; {}", target, settings.southbound().ovsdbAllow().isEmpty()
                    && settings.southbound().ovsdbAllowFile().isEmpty()
                    ? (target.startsWith("pssl:") ? "hosts with a certificate signed by --tls-ca may connect"
                    : "no host may connect: none is allowed (--ovsdb-allow, or pssl: with certificates)")
                    : "allowed: " + settings.southbound().ovsdbAllow()
                    + settings.southbound().ovsdbAllowFile().map(f -> " and " + f).orElse(""));
        });
        timeline.done("southbound listeners");
        replicas.register();
        reconciler.start(timeline.originNanos());
        replicas.start();
        timeline.done("intent published");
        NorthboundContext context = new NorthboundContext(intents, reconciler, settings, metrics,
                () -> replicas.view(store.health()));
        for (Northbound northbound : ServiceLoader.load(Northbound.class)) {
            try {
                northbound.start(context);
            } catch (Exception e) {
                throw new IllegalStateException("northbound " + northbound.name() + " failed to start: "
                        + e.getMessage(), e);
            }
            northbounds.add(northbound);
            timeline.done(northbound.name());
            log.info("northbound {} started", northbound.name());
        }
        log.info("Weft controller running: {} hosts, {} networks, {} endpoints at revision {}; started {}",
                store.current().hosts().size(), store.current().networks().size(),
                store.current().endpoints().size(), store.current().revision(), timeline.summary());
    }

    OvsdbSide connectHost(Host host, Runnable onChange) {
        if (tls.isEmpty()) {
            // Stored while the controller had TLS files: the host cannot be reached until it has them again.
            for (Optional<ConnectionTarget> t : List.of(host.ovsdbConnection(), host.openflowDialed())) {
                t.filter(ConnectionTarget::tls).ifPresent(target -> {
                    throw new HostConnectionException(host.name(), "target " + target + " needs TLS, and the "
                            + "controller runs without a certificate: restart it with --tls-cert, --tls-key and "
                            + "--tls-ca, or register the host again with a tcp:/unix: target");
                });
            }
        }
        OvsdbHost session = host.ovsdbTarget()
                .map(target -> OvsdbHost.active(host.name(), target, ovsdbTransport, ovsdbOptions,
                        ReconnectBackoff.defaults()))
                .orElseGet(() -> OvsdbHost.passive(host.name(), ovsdbTransport));
        sessions.add(session);
        Optional<String> dialed = host.openflowDialed().map(ConnectionTarget::toString);
        dialed.ifPresent(openflowConnector::connect);
        OvsdbHostSide side = new OvsdbHostSide(session, onChange, () -> {
            sessions.remove(session);
            passiveHosts.closed(session);
            dialed.ifPresent(openflowConnector::forget);
        });
        if (host.ovsdbTarget().isEmpty()) {
            // After the side listens, so that the connect of a connection waiting for it is not missed.
            passiveHosts.opened(session);
        }
        return side;
    }

    /** With {@code --openflow-require-known}: a switch is served when it is the br-int of a host Weft has open. */
    private Optional<String> refuseUnknown(long datapathId, java.net.SocketAddress from) {
        boolean known = sessions.stream().anyMatch(s -> s.datapathId()
                .filter(hex -> !hex.isEmpty() && Long.parseUnsignedLong(hex, 16) == datapathId).isPresent());
        return known ? Optional.empty() : Optional.of("its datapath id is the br-int of no registered host "
                + "(--openflow-require-known)");
    }

    private void leadershipChanged() {
        reconciler.leadershipChanged();
    }

    private void replicaTargets(List<String> targets) {
        reconciler.replicaTargets(targets);
    }

    /** {@code HOST:PORT} of a {@code --rest-listen} value. */
    static String restAuthority(String restListen) {
        return restListen.replaceFirst("^https?://", "");
    }

    static String restUrl(String restListen) {
        return restListen.matches("^https?://.*") ? restListen : "http://" + restListen;
    }

    /** What northbounds read. */
    public ControllerView view() {
        return reconciler;
    }

    public Store store() {
        return store;
    }

    /** The etcd client the store uses, with {@code --store}; one per replica, for whatever else needs etcd. */
    public Optional<Client> etcdClient() {
        return etcd;
    }

    public List<Northbound> northbounds() {
        return List.copyOf(northbounds);
    }

    @Override
    public void close() {
        log.info("Weft controller stopping; flows stay on the switches");
        northbounds.forEach(Northbound::close);
        replicas.close();
        openflowConnector.close();
        openflowServer.close();
        if (managerListener != null) {
            managerListener.close();
        }
        reconciler.close();
        names.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ovsdbTransport.close();
        store.close();
        etcd.ifPresent(Client::close);
        metrics.close();
    }

    /** Switch events become reconciler events, DNS queries the name service's; nothing else here touches a switch. */
    private record SwitchEvents(Reconciler reconciler, NameService names, boolean sendsMeter)
            implements SwitchListener {

        @Override
        public void switchConnected(SwitchHandle handle) {
            // Every replica's name service knows every switch, to answer once this replica leads. The meter first
            // (its flows name it): sent here by a sole controller; with replicas the leader's reconciler sends it
            // right behind its MASTER request (a follower's would be refused as a slave's). A switch on OpenFlow 1.0
            // has no meters and never carries the overlay (only plain switches may speak it).
            if (!handle.version().singleTable()) {
                names.switchConnected(handle, sendsMeter);
            }
            reconciler.switchConnected(handle);
        }

        @Override
        public void switchDisconnected(long dpid) {
            names.switchDisconnected(dpid);
            reconciler.switchDisconnected(dpid);
        }

        @Override
        public void portStatus(long dpid, PortEvent event) {
            reconciler.portStatus(dpid, event);
        }

        @Override
        public void packetIn(long dpid, PacketIn packet) {
            if (!reconciler.answersSwitches()) {
                return; // a follower: the leader answers
            }
            if (NameService.isQuery(packet)) {
                names.packetIn(dpid, packet);
            } else {
                reconciler.packetIn(dpid, packet);
            }
        }

        @Override
        public void error(long dpid, String description) {
            log.warn("switch {}: {}", DatapathId.hex(dpid), description);
        }
    }

    private static void deleteStaleSocket(Path socket) {
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare socket " + socket, e);
        }
    }
}
