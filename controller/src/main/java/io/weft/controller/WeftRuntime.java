package io.weft.controller;

import io.weft.controller.adapters.OvsdbHostSide;
import io.weft.controller.intent.IntentService;
import io.weft.controller.reconcile.OvsdbSide;
import io.weft.controller.reconcile.Reconciler;
import io.weft.controller.store.MvStore;
import io.weft.controller.store.Store;
import io.weft.controller.view.ControllerView;
import io.weft.model.Host;
import io.weft.ovsdb.ConnectionOptions;
import io.weft.ovsdb.OvsdbHost;
import io.weft.ovsdb.OvsdbManagerListener;
import io.weft.ovsdb.OvsdbTransport;
import io.weft.southbound.ChannelConfig;
import io.weft.southbound.OpenFlowConnector;
import io.weft.southbound.OpenFlowServer;
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
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running controller: the store, the reconciler, the OVSDB and OpenFlow southbounds, and every
 * {@link Northbound} on the class path. Closing it stops Weft; the switches keep their flows.
 */
public final class WeftRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WeftRuntime.class);
    /** How long a passive OVSDB connection waits for the reconciler to open its host's session. */
    private static final Duration PASSIVE_HANDOVER_TIMEOUT = Duration.ofSeconds(10);

    private final Store store;
    private final ScheduledExecutorService executor;
    private final OvsdbTransport ovsdbTransport;
    private final Reconciler reconciler;
    private final OpenFlowServer openflowServer;
    private final OpenFlowConnector openflowConnector;
    private final List<Northbound> northbounds = new ArrayList<>();
    private final IntentService intents;
    private final PassiveHostRegistrar passiveHosts;
    private volatile OvsdbManagerListener managerListener;

    private WeftRuntime(ControllerSettings settings) {
        // The store makes its own directory, private to Weft (0700).
        this.store = MvStore.open(settings.dataDir());
        this.executor = Executors.newSingleThreadScheduledExecutor(daemonThreads("weft-reconcile"));
        this.ovsdbTransport = OvsdbTransport.create();
        this.intents = new IntentService(store, settings.underlayMtu());
        this.passiveHosts = new PassiveHostRegistrar(intents, store::current, PASSIVE_HANDOVER_TIMEOUT);
        // connectHost needs the connector below; the reconciler calls it only once started.
        this.reconciler = new Reconciler(store, this::connectHost, settings.openflowAdvertise(), executor,
                Clock.systemUTC(), Reconciler.Settings.DEFAULTS);
        SwitchEvents events = new SwitchEvents(reconciler);
        this.openflowServer = new OpenFlowServer(events, ChannelConfig.defaults());
        this.openflowConnector = new OpenFlowConnector(events, ChannelConfig.defaults(), Duration.ofMillis(200));
    }

    /** Starts everything; a failure to bind any listener stops what was started and rethrows. */
    public static WeftRuntime start(ControllerSettings settings) {
        WeftRuntime runtime = new WeftRuntime(settings);
        try {
            runtime.startAll(settings);
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private void startAll(ControllerSettings settings) {
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
            managerListener = OvsdbManagerListener.start(ovsdbTransport, target, ConnectionOptions.defaults(),
                    passiveHosts).join();
            log.info("OVSDB manager listener on {}", target);
        });
        reconciler.start();
        NorthboundContext context = new NorthboundContext(intents, reconciler, settings);
        for (Northbound northbound : ServiceLoader.load(Northbound.class)) {
            try {
                northbound.start(context);
            } catch (Exception e) {
                throw new IllegalStateException("northbound " + northbound.name() + " failed to start: "
                        + e.getMessage(), e);
            }
            northbounds.add(northbound);
            log.info("northbound {} started", northbound.name());
        }
        log.info("Weft controller running: {} hosts, {} networks, {} endpoints at revision {}",
                store.current().hosts().size(), store.current().networks().size(),
                store.current().endpoints().size(), store.current().revision());
    }

    private OvsdbSide connectHost(Host host, Runnable onChange) {
        OvsdbHost session = host.ovsdbTarget()
                .map(target -> OvsdbHost.active(host.name(), target, ovsdbTransport))
                .orElseGet(() -> OvsdbHost.passive(host.name(), ovsdbTransport));
        host.openflowTarget().ifPresent(t -> openflowConnector.connect(activeForm(t)));
        OvsdbHostSide side = new OvsdbHostSide(session, onChange, () -> {
            passiveHosts.closed(session);
            host.openflowTarget().ifPresent(t -> openflowConnector.forget(activeForm(t)));
        });
        if (host.ovsdbTarget().isEmpty()) {
            // After the side listens, so that the connect of a connection waiting for it is not missed.
            passiveHosts.opened(session);
        }
        return side;
    }

    /** A bridge's passive target {@code punix:/p} is reached at {@code unix:/p}. */
    static String activeForm(String passiveTarget) {
        return passiveTarget.substring(1);
    }

    /** What northbounds read. */
    public ControllerView view() {
        return reconciler;
    }

    public Store store() {
        return store;
    }

    public List<Northbound> northbounds() {
        return List.copyOf(northbounds);
    }

    @Override
    public void close() {
        log.info("Weft controller stopping; flows stay on the switches");
        northbounds.forEach(Northbound::close);
        openflowConnector.close();
        openflowServer.close();
        if (managerListener != null) {
            managerListener.close();
        }
        reconciler.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ovsdbTransport.close();
        store.close();
    }

    /** Switch events become reconciler events; nothing here touches a switch. */
    private record SwitchEvents(Reconciler reconciler) implements SwitchListener {

        @Override
        public void switchConnected(SwitchHandle handle) {
            reconciler.switchConnected(handle);
        }

        @Override
        public void switchDisconnected(long dpid) {
            reconciler.switchDisconnected(dpid);
        }

        @Override
        public void error(long dpid, String description) {
            log.warn("switch {}: {}", String.format("%016x", dpid), description);
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

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
