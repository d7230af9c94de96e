package io.weft.controller.reconcile;

import io.weft.controller.ControllerView;
import io.weft.controller.HostStatus;
import io.weft.controller.InstallProgress;
import io.weft.controller.PlainSwitch;
import io.weft.controller.store.Store;
import io.weft.controller.store.StoreState;
import io.weft.flows.FlowCompiler;
import io.weft.flows.FlowDelta;
import io.weft.model.EndpointId;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns intent and what the switches report into work: owns one {@link HostAgent} per host, the
 * {@link FabricCompiler} that gives every host its flow changes, and the bookkeeping behind
 * {@link #awaitInstalled}. Events only mark work (a port pass for the hosts they concern, a compiler step); passes do
 * it. OpenFlow connections are matched to hosts by datapath id.
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
    /** The revision at which each endpoint of the intent was last written. */
    private final Map<EndpointId, Long> writtenAt = new ConcurrentHashMap<>();
    private final FabricCompiler compiler = new FabricCompiler();
    private final CoalescingRunner compileRunner;
    private final BindingBoard board;
    private volatile StoreState intent = StoreState.EMPTY;
    private volatile EndpointsByHost endpointsByHost = EndpointsByHost.EMPTY;
    private volatile FabricCompiler.Step lastStep = FabricCompiler.Step.NONE;

    /** A caller of {@link #awaitInstalled}; {@code generation} is set once a compiler step covers its revision. */
    private static final class Waiter {
        final long revision;
        final Instant since;
        final CompletableFuture<InstallProgress> future = new CompletableFuture<>();
        long generation = -1;

        Waiter(long revision, Instant since) {
            this.revision = revision;
            this.since = since;
        }
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
        this.compileRunner = new CoalescingRunner("fabric compiler", executor, this::compilePass,
                Duration.ofMillis(200), Duration.ofSeconds(10));
        this.board = new BindingBoard(compileRunner::request);
    }

    public void start() {
        store.addListener(this::onIntent);
        onIntent(store.current());
    }

    private synchronized void onIntent(StoreState state) {
        StoreState before = intent;
        if (state.revision() < before.revision()) {
            return;
        }
        IntentChange change = IntentChange.between(before, state);
        change.written().forEach(id -> writtenAt.put(id, state.revision()));
        change.deleted().forEach(writtenAt::remove);
        // Agents exist before the intent naming their host is visible to the compiler, so no step misses them.
        for (Host host : state.hosts().values()) {
            agents.computeIfAbsent(host.name(), n -> newAgent(host));
        }
        endpointsByHost = endpointsByHost.next(state, change);
        intent = state;
        for (HostAgent agent : List.copyOf(agents.values())) {
            if (!state.hosts().containsKey(agent.name())) {
                agents.remove(agent.name());
                board.remove(agent.name());
                log.info("host {} removed: taking down its Weft ports", agent.name());
                agent.retire().whenComplete((ok, e) -> matchSwitches());
            }
        }
        if (change.topology()) {
            agents.values().forEach(HostAgent::requestPorts);
        } else {
            change.hosts().stream().map(agents::get).filter(a -> a != null).forEach(HostAgent::requestPorts);
        }
        compileRunner.request();
        checkWaiters();
    }

    private HostAgent newAgent(Host host) {
        List<String> targets = List.of(host.openflowTarget().orElse(advertisedOpenflowTarget));
        HostAgent[] self = new HostAgent[1];
        OvsdbSide ovsdb = connector.connect(host, () -> {
            HostAgent a = self[0];
            if (a != null) {
                a.requestPorts();
                matchSwitches();
                checkWaiters();
            }
        });
        self[0] = new HostAgent(host.name(), () -> endpointsByHost, ovsdb, targets, board, this::checkWaiters, executor,
                clock);
        log.info("host {} added (tunnel IP {}, OVSDB {})", host.name(), host.tunnelIp(),
                host.ovsdbTarget().orElse("passive"));
        return self[0];
    }

    /** One compiler step: every host gets its flow change (new hosts their full flows), then waiters are checked. */
    private CompletionStage<?> compilePass() {
        StoreState state = intent;
        FabricCompiler.Step step;
        try {
            step = compiler.advance(state, board.snapshot(), writtenAt);
        } catch (IllegalArgumentException e) {
            log.error("revision {} cannot be compiled; flows stay as they are: {}", state.revision(), e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        for (HostAgent agent : agents.values()) {
            if (agent.needsBaseline()) {
                List<FlowRule> all = compiler.compiled().hosts().containsKey(agent.name())
                        ? FlowCompiler.compile(compiler.compiled(), agent.name()).flows() : List.of();
                agent.baseline(all, step.generation(), step.revision());
            } else {
                agent.offer(step.deltas().getOrDefault(agent.name(), FlowDelta.EMPTY), step.generation(),
                        step.revision());
            }
        }
        lastStep = step;
        checkWaiters();
        return CompletableFuture.completedFuture(null);
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
    public CompletableFuture<InstallProgress> awaitInstalled(long revision) {
        Waiter w = new Waiter(revision, clock.instant());
        synchronized (waiters) {
            waiters.add(w);
        }
        checkWaiters();
        return w.future;
    }

    /**
     * A waiter is done once a compiler step covered its revision on every reachable host (every endpoint written up
     * to it bound or failed) and every reachable host acknowledged the flows of that step. Later steps do not hold it
     * back, so waiters complete under sustained churn too.
     */
    private void checkWaiters() {
        synchronized (waiters) {
            if (waiters.isEmpty()) {
                return; // the common case: called on every acknowledgement, with nobody waiting
            }
        }
        FabricCompiler.Step step = lastStep;
        List<HostAgent> reachable = agents.values().stream().filter(HostAgent::isReachable).toList();
        List<Waiter> done = new ArrayList<>();
        synchronized (waiters) {
            for (Waiter w : waiters) {
                if (w.generation < 0 && step.revision() >= w.revision
                        && reachable.stream().allMatch(a -> step.covers(w.revision, a.name()))) {
                    w.generation = step.generation();
                }
                if (w.generation >= 0 && reachable.stream().allMatch(a -> a.caughtUpTo(w.generation))) {
                    done.add(w);
                }
            }
            waiters.removeAll(done);
        }
        done.forEach(w -> w.future.complete(installProgress(w.revision)));
    }

    @Override
    public InstallProgress installProgress(long revision) {
        FabricCompiler.Step step = lastStep;
        java.util.SortedSet<String> acknowledged = new java.util.TreeSet<>();
        java.util.SortedMap<String, String> pending = new java.util.TreeMap<>();
        for (HostAgent a : agents.values()) {
            if (!a.isReachable()) {
                pending.put(a.name(), "OVSDB not connected");
            } else if (a.flowSide() == null) {
                pending.put(a.name(), "OpenFlow not connected");
            } else if (step.covers(revision, a.name()) && a.caughtUpTo(step.generation())) {
                acknowledged.add(a.name());
            } else {
                pending.put(a.name(), "installing");
            }
        }
        return new InstallProgress(revision, acknowledged, pending);
    }

    @Override
    public Optional<HostStatus> status(String host) {
        return Optional.ofNullable(agents.get(host)).map(HostAgent::status);
    }

    @Override
    public long endpointWrittenAt(EndpointId id, long seenAt) {
        return intent.revision() < seenAt ? seenAt : writtenAt.getOrDefault(id, seenAt);
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
        return a == null ? Optional.empty() : Optional.ofNullable(a.bindings().endpointOfports().get(port));
    }

    @Override
    public void close() {
        compileRunner.close();
        agents.values().forEach(HostAgent::close);
        agents.clear();
    }
}
