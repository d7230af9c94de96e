package io.weft.controller.reconcile;

import io.weft.controller.ControllerView;
import io.weft.controller.HostStatus;
import io.weft.controller.PlainSwitch;
import io.weft.controller.store.Store;
import io.weft.controller.store.StoreState;
import io.weft.model.Host;
import io.weft.model.flow.FlowRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one {@link HostAgent} per host of the intent, routes events to them as "mark dirty", matches OpenFlow
 * connections to hosts by datapath id, and answers the northbound's questions about progress.
 */
public final class Reconciler implements ControllerView, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final Store store;
    private final HostConnector connector;
    private final String advertisedOpenflowTarget;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Map<String, HostAgent> agents = new ConcurrentHashMap<>();
    private final Map<Long, FlowSide> switches = new ConcurrentHashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private volatile StoreState intent = StoreState.EMPTY;
    private final BindingBoard board = new BindingBoard(this::bindingsChangedOn);

    private record Waiter(long revision, Instant since, CompletableFuture<Duration> future) {
    }

    /**
     * @param advertisedOpenflowTarget the controller target bridges are given when their host names no passive
     *                                 target of its own, e.g. {@code unix:/run/weft/openflow.sock}
     */
    public Reconciler(Store store, HostConnector connector, String advertisedOpenflowTarget,
                      ScheduledExecutorService executor, Clock clock) {
        this.store = store;
        this.connector = connector;
        this.advertisedOpenflowTarget = advertisedOpenflowTarget;
        this.executor = executor;
        this.clock = clock;
    }

    public void start() {
        store.addListener(this::onIntent);
        onIntent(store.current());
    }

    private synchronized void onIntent(StoreState state) {
        if (state.revision() < intent.revision()) {
            return;
        }
        intent = state;
        for (Host host : state.hosts().values()) {
            agents.computeIfAbsent(host.name(), n -> newAgent(host));
        }
        for (HostAgent agent : List.copyOf(agents.values())) {
            if (!state.hosts().containsKey(agent.name())) {
                agents.remove(agent.name());
                board.remove(agent.name());
                log.info("host {} removed: taking down its Weft ports", agent.name());
                agent.retire().whenComplete((ok, e) -> matchSwitches());
            }
        }
        agents.values().forEach(HostAgent::request);
        checkWaiters();
    }

    private HostAgent newAgent(Host host) {
        List<String> targets = List.of(host.openflowTarget().orElse(advertisedOpenflowTarget));
        HostAgent[] self = new HostAgent[1];
        OvsdbSide ovsdb = connector.connect(host, () -> {
            HostAgent a = self[0];
            if (a != null) {
                a.request();
                matchSwitches();
            }
        });
        self[0] = new HostAgent(host.name(), () -> intent, ovsdb, targets, board, rev -> checkWaiters(), executor,
                clock);
        log.info("host {} added (tunnel IP {}, OVSDB {})", host.name(), host.tunnelIp(),
                host.ovsdbTarget().orElse("passive"));
        return self[0];
    }

    private void bindingsChangedOn(String host) {
        agents.values().stream().filter(a -> !a.name().equals(host)).forEach(HostAgent::request);
    }

    /** An OpenFlow switch finished its handshake. */
    public void switchConnected(FlowSide side) {
        switches.put(side.datapathId(), side);
        matchSwitches();
    }

    public void switchDisconnected(long datapathId) {
        switches.remove(datapathId);
        agents.values().forEach(a -> a.detach(datapathId));
        checkWaiters();
    }

    private void matchSwitches() {
        for (HostAgent agent : agents.values()) {
            agent.ovsdb().datapathId().map(switches::get).ifPresent(side -> {
                if (agent.flowSide() != side) {
                    agent.attach(side);
                }
            });
        }
    }

    /** Connected switches that belong to no host: plain OpenFlow switches, by datapath id. */
    public List<PlainSwitch> plainSwitches() {
        List<Long> matched = agents.values().stream()
                .map(a -> a.ovsdb().datapathId().orElse(null)).filter(d -> d != null).toList();
        return switches.values().stream().filter(s -> !matched.contains(s.datapathId()))
                .map(s -> new PlainSwitch(s.datapathId(), s.ports()))
                .sorted(Comparator.comparingLong(PlainSwitch::datapathId)).toList();
    }

    @Override
    public CompletableFuture<Duration> awaitInstalled(long revision) {
        Waiter w = new Waiter(revision, clock.instant(), new CompletableFuture<>());
        synchronized (waiters) {
            waiters.add(w);
        }
        checkWaiters();
        return w.future();
    }

    private void checkWaiters() {
        List<Waiter> done = new ArrayList<>();
        synchronized (waiters) {
            for (Waiter w : waiters) {
                if (intent.revision() >= w.revision() && agents.values().stream()
                        .filter(HostAgent::isReachable)
                        .allMatch(a -> a.appliedRevision() >= w.revision() && a.appliedEpoch() == board.epoch())) {
                    done.add(w);
                }
            }
            waiters.removeAll(done);
        }
        done.forEach(w -> w.future().complete(Duration.between(w.since(), clock.instant())));
    }

    @Override
    public Optional<HostStatus> status(String host) {
        return Optional.ofNullable(agents.get(host)).map(HostAgent::status);
    }

    @Override
    public List<FlowRule> desiredFlows(String host) {
        HostAgent a = agents.get(host);
        return a == null ? List.of() : a.desiredFlows();
    }

    @Override
    public List<FlowRule> installedFlows(String host) {
        HostAgent a = agents.get(host);
        return a == null ? List.of() : a.installedFlows();
    }

    /** The ofport an endpoint's port got on its host, once bound. */
    public Optional<Integer> endpointOfport(String host, String port) {
        HostAgent a = agents.get(host);
        return a == null ? Optional.empty() : Optional.ofNullable(a.bindings().ofports().get(port));
    }

    @Override
    public void close() {
        agents.values().forEach(HostAgent::close);
        agents.clear();
    }
}
