package io.weft.controller.reconcile;

import io.weft.controller.store.Store;
import io.weft.controller.store.StoreChange;
import io.weft.controller.store.StoreState;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.HostStatus;
import io.weft.controller.view.InstallProgress;
import io.weft.controller.view.PlainSwitch;
import io.weft.flows.FlowDelta;
import io.weft.flows.HostFlows;
import io.weft.flows.SnapshotChange;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.flow.FlowRule;
import io.weft.model.ovs.DesiredBridge;
import io.weft.southbound.ApplyResult;
import io.weft.southbound.FlowTable;
import io.weft.southbound.SwitchFlows;
import io.weft.southbound.SwitchHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pcollections.PMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that decides what a switch must hold. It owns, on one thread, everything known about every host
 * ({@link HostState}: port plan, the switch's flows, what is on its way) and the {@link FabricCompiler}.
 *
 * <p>Events come in (a commit, an OVSDB cache change, a switch connecting, a send acknowledged, an audit's read),
 * each only records what it says and asks for a {@link #step}; the step computes what changed as data (port plans,
 * one compiler step, each switch's next batch) and sends messages out: an OVSDB transaction, a flow batch, a table
 * read. Nothing is pushed from an event handler, so a missed event costs at most a delay, never a stale flow; and a
 * host that is slow, gone or misconfigured delays only itself.
 *
 * <p>A host's flows are compiled and sent only once its OVSDB cache has been read (they name its ports) and its
 * switch's table has been read (only the difference is sent): a restart rewrites nothing that is already right.
 */
public final class Reconciler implements ControllerView, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Beyond this many queued commits, reading each one's mutations costs more than comparing whole intents. */
    private static final int MAX_COMMITS_ONE_BY_ONE = 64;

    /**
     * @param auditInterval how often each switch's per-table flow counts are compared with what it acknowledged
     * @param fullReadEvery every how many audits the whole table is read and compared instead (finds a changed
     *                      flow, which leaves the counts as they were)
     */
    public record Settings(Duration auditInterval, int fullReadEvery) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), 30);
    }

    private final Store store;
    private final HostConnector connector;
    private final String advertisedOpenflowTarget;
    private final ScheduledExecutorService loop;
    private final Clock clock;
    private final Settings settings;

    // Confined to the loop.
    private final Map<String, HostState> hosts = new TreeMap<>();
    private final Map<Long, SwitchHandle> switches = new HashMap<>();
    private final FabricCompiler compiler = new FabricCompiler();
    private final InstallWaiters waiters;
    private final Map<String, Long> changedAt = new HashMap<>();
    private final Queue<StoreChange> commits = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean commitsQueued = new AtomicBoolean();
    private StoreState intent = StoreState.EMPTY;
    private boolean stepQueued;
    private boolean closed;

    // Read by any thread.
    /** The revision at which each endpoint of the intent was last written. */
    private final Map<EndpointId, Long> writtenAt = new ConcurrentHashMap<>();
    private volatile Published view = Published.EMPTY;
    /** Completes once the first step has published: the stored intent is in. */
    private final CompletableFuture<Void> published = new CompletableFuture<>();

    /** What readers see, rebuilt after every step: cheap, immutable, never waits for the loop. */
    private record Published(StoreState intent, Map<String, HostStatus> statuses,
                             Map<String, PMap<String, Integer>> ofports, List<PlainSwitch> plainSwitches) {
        static final Published EMPTY = new Published(StoreState.EMPTY, Map.of(), Map.of(), List.of());
    }

    /**
     * @param loop                     a single-threaded executor: every decision is taken on it
     * @param advertisedOpenflowTarget the controller target bridges are given when their host names no passive
     *                                 target of its own, e.g. {@code unix:/run/weft/openflow.sock}
     */
    public Reconciler(Store store, HostConnector connector, String advertisedOpenflowTarget,
                      ScheduledExecutorService loop, Clock clock, Settings settings) {
        this.store = store;
        this.connector = connector;
        this.advertisedOpenflowTarget = advertisedOpenflowTarget;
        this.loop = loop;
        this.clock = clock;
        this.settings = settings;
        this.waiters = new InstallWaiters();
    }

    /**
     * Takes in the stored intent and returns once it is published: a reader right after this sees every host, even
     * if nothing is connected yet.
     */
    public void start() {
        store.addListener(change -> {
            commits.add(change);
            if (commitsQueued.compareAndSet(false, true)) {
                run(this::drainCommits);
            }
        });
        run(() -> committed(new StoreChange(intent, store.current(), List.of())));
        loop.scheduleWithFixedDelay(() -> run(this::audit), settings.auditInterval().toMillis(),
                settings.auditInterval().toMillis(), TimeUnit.MILLISECONDS);
        try {
            published.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the reconciler", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the reconciler did not take in the stored state: " + e, e);
        }
    }

    // ---- events in (any thread)

    /** An OpenFlow switch finished its handshake. */
    public void switchConnected(SwitchHandle sw) {
        run(() -> {
            switches.put(sw.datapathId(), sw);
            matchSwitches();
        });
    }

    public void switchDisconnected(long datapathId) {
        run(() -> {
            switches.remove(datapathId);
            for (HostState h : hosts.values()) {
                if (h.sw != null && h.sw.datapathId() == datapathId) {
                    h.sw = null;
                    log.warn("host {}: OpenFlow disconnected; its flows stay on the switch until it reconnects",
                            h.name);
                }
            }
        });
    }

    private void ovsdbChanged(String host) {
        run(() -> {
            HostState h = hosts.get(host);
            if (h != null) {
                h.replan = true;
                matchSwitches();
            }
        });
    }

    /** Runs {@code event} on the loop, then a step; events that arrive meanwhile share that step. */
    private void run(Runnable event) {
        loop.execute(() -> {
            if (closed) {
                return;
            }
            try {
                event.run();
            } catch (RuntimeException e) {
                log.error("reconciler event failed", e);
            }
            if (!stepQueued) {
                stepQueued = true;
                loop.execute(this::step);
            }
        });
    }

    /**
     * Takes every commit queued since the last drain. A few are read one by one (what each changed is in its
     * mutations); a backlog larger than that is read as one comparison of the intents, so a burst of writers never
     * makes the reconciler fall behind by more than one drain.
     */
    private void drainCommits() {
        commitsQueued.set(false);
        List<StoreChange> batch = new ArrayList<>();
        for (StoreChange c = commits.poll(); c != null; c = commits.poll()) {
            batch.add(c);
        }
        if (batch.size() > MAX_COMMITS_ONE_BY_ONE) {
            StoreChange last = batch.get(batch.size() - 1);
            committed(new StoreChange(intent, last.after(), List.of()));
        } else {
            batch.forEach(this::committed);
        }
    }

    private void committed(StoreChange c) {
        StoreState next = c.after();
        if (next.revision() <= intent.revision() && intent != StoreState.EMPTY) {
            return;
        }
        IntentChange change = c.before().revision() == intent.revision() && !c.mutations().isEmpty()
                ? IntentChange.of(c) : IntentChange.between(intent, next);
        change.written().forEach(id -> writtenAt.put(id, next.revision()));
        change.deleted().forEach(writtenAt::remove);
        intent = next;
        compiler.intentChanged(change);
        for (Host host : next.hosts().values()) {
            HostState h = hosts.get(host.name());
            if (h == null) {
                hosts.put(host.name(), open(host));
            } else {
                h.host = host;
            }
        }
        for (HostState h : List.copyOf(hosts.values())) {
            if (!next.hosts().containsKey(h.name)) {
                retire(h);
            }
        }
        for (HostState h : hosts.values()) {
            if (change.topology() || change.hosts().contains(h.name)) {
                h.replan = true;
            }
        }
    }

    /** Opens a new host's OVSDB session; a host whose session cannot be made is kept, with why, and isolated. */
    private HostState open(Host host) {
        List<String> targets = List.of(host.openflowTarget().orElse(advertisedOpenflowTarget));
        OvsdbSide ovsdb;
        Optional<String> unusable = Optional.empty();
        try {
            ovsdb = connector.connect(host, () -> ovsdbChanged(host.name()));
        } catch (RuntimeException e) {
            unusable = Optional.of("cannot connect to this host: " + e.getMessage());
            log.error("host {}: {}; the other hosts go on", host.name(), unusable.get());
            ovsdb = OvsdbSide.UNREACHABLE;
        }
        log.info("host {} added (tunnel IP {}, OVSDB {})", host.name(), host.tunnelIp(),
                host.ovsdbTarget().orElse("passive"));
        return new HostState(host, ovsdb, targets, unusable);
    }

    private void retire(HostState h) {
        hosts.remove(h.name);
        changedAt.remove(h.name);
        compiler.hostRemoved(h.name);
        log.info("host {} removed: taking down its Weft ports", h.name);
        if (h.plan.bridge() == null || !h.ovsdb.connected()) {
            h.ovsdb.close();
            return;
        }
        DesiredBridge empty = new DesiredBridge(DesiredBridge.INTEGRATION_BRIDGE, h.host.datapathType(),
                h.controllerTargets, List.of());
        h.ovsdb.apply(empty).whenComplete((ok, e) -> h.ovsdb.close());
    }

    private void matchSwitches() {
        for (HostState h : hosts.values()) {
            Optional<SwitchHandle> sw = h.ovsdb.datapathId().map(switches::get);
            if (sw.isPresent() && h.sw != sw.get()) {
                h.sw = sw.get();
                h.flows.reconnected();
                h.reading = false;
                log.info("host {}: OpenFlow connected (datapath {})", h.name,
                        String.format("%016x", h.sw.datapathId()));
            }
        }
    }

    // ---- the step: compute, then send

    private void step() {
        stepQueued = false;
        if (closed) {
            return;
        }
        planPorts();
        compile();
        Instant now = clock.instant();
        for (HostState h : hosts.values()) {
            sendPorts(h, now);
            sendFlows(h, now);
        }
        // Published first: whoever a waiter wakes reads the state that woke it.
        publish();
        waiters.check(progress());
    }

    /** New port plans for the hosts whose intent or OVSDB cache changed; their ofport changes go to the compiler. */
    private void planPorts() {
        for (HostState h : hosts.values()) {
            if (!h.replan || !h.ovsdb.connected()) {
                continue;
            }
            h.replan = false;
            List<Endpoint> endpoints = new ArrayList<>();
            intent.ports().on(h.name).values().forEach(id -> endpoints.add(intent.endpoints().get(id)));
            BridgePlan before = h.plan;
            BridgePlan plan = BridgePlan.of(h.host, intent.hosts().values(), endpoints, h.ovsdb.bridgePorts(),
                    h.controllerTargets, before);
            h.plan = plan;
            plan.failed().forEach((id, why) -> {
                if (!before.failed().containsKey(id)) {
                    log.warn("host {}: endpoint {} cannot be bound: {}", h.name, id, why);
                }
            });
            if (!plan.bridge().equals(before.bridge())) {
                h.portsChangedAt = compiler.generation() + 1;
                changedAt.merge(h.name, h.portsChangedAt, Math::max);
            }
            if (!plan.ofports().equals(before.ofports())) {
                moved(h, before, plan);
            }
        }
    }

    /**
     * Tells the compiler which endpoints of {@code h} got another ofport, and whether a tunnel did; a port whose
     * endpoint is gone from the intent matters to no flow.
     */
    private void moved(HostState h, BridgePlan was, BridgePlan now) {
        Map<String, Integer> before = was.ofports();
        Map<String, Integer> after = now.ofports();
        Set<String> tunnelNames = new HashSet<>();
        for (BridgePlan p : List.of(was, now)) {
            if (p.bridge() != null) {
                p.bridge().ports().stream().filter(d -> !d.type().isEmpty()).forEach(d -> tunnelNames.add(d.name()));
            }
        }
        Set<EndpointId> rebound = new HashSet<>();
        boolean tunnels = false;
        for (String port : SnapshotChange.movedPorts(before, after)) {
            Optional<EndpointId> id = intent.ports().at(h.name, port);
            if (id.isPresent()) {
                rebound.add(id.get());
            } else if (tunnelNames.contains(port)) {
                tunnels = true;
            }
        }
        compiler.portsChanged(h.name, now.ofports(), rebound, tunnels);
    }

    /** One compiler step if anything changed; hosts seen for the first time get their full flows. */
    private void compile() {
        List<String> fresh = hosts.values().stream().filter(h -> !h.baselined && h.hasPlan()).map(h -> h.name)
                .toList();
        if (!compiler.hasPending() && fresh.isEmpty()) {
            return;
        }
        Map<String, FlowDelta> deltas;
        try {
            deltas = compiler.step(intent);
        } catch (IllegalArgumentException e) {
            log.error("revision {} cannot be compiled; flows stay as they are: {}", intent.revision(),
                    e.getMessage());
            return;
        }
        long generation = compiler.generation();
        deltas.forEach((host, delta) -> {
            HostState h = hosts.get(host);
            if (h != null) {
                changedAt.merge(host, generation, Math::max);
                if (h.baselined) {
                    h.flows.offer(delta.removed(), delta.added(), generation);
                }
            }
        });
        if (!fresh.isEmpty()) {
            Map<String, HostFlows> full = compiler.full(Set.copyOf(fresh));
            full.forEach((host, flows) -> {
                HostState h = hosts.get(host);
                h.flows.replace(flows.flows(), generation);
                h.baselined = true;
                changedAt.merge(host, generation, Math::max);
            });
        }
        waiters.stepped(generation, intent.revision());
    }

    private void sendPorts(HostState h, Instant now) {
        DesiredBridge want = h.plan.bridge();
        if (want == null || h.applying != null || h.ports.waiting(now)) {
            return;
        }
        if (want.equals(h.applied)) {
            h.portsAppliedThrough = Math.max(h.portsAppliedThrough, compiler.generation());
            return;
        }
        long generation = compiler.generation();
        h.applying = want;
        h.ovsdb.apply(want).whenCompleteAsync((ok, error) -> run(() -> portsApplied(h, want, generation, error)),
                loop);
    }

    private void portsApplied(HostState h, DesiredBridge bridge, long generation, Throwable error) {
        if (hosts.get(h.name) != h) {
            return;
        }
        h.applying = null;
        if (error != null) {
            retryLater(h, h.ports, error);
            return;
        }
        h.ports.succeeded();
        h.applied = bridge;
        h.portsAppliedThrough = Math.max(h.portsAppliedThrough, generation);
    }

    private void sendFlows(HostState h, Instant now) {
        SwitchHandle sw = h.sw;
        if (sw == null || !h.baselined || h.reading || h.flowSends.waiting(now)) {
            return;
        }
        if (h.flows.needsRead()) {
            read(h, sw, false);
            return;
        }
        Optional<SwitchFlows.Batch> batch = h.flows.next(compiler.generation());
        if (batch.isPresent()) {
            long started = System.nanoTime();
            sw.send(batch.get().mods()).whenCompleteAsync((result, error) -> run(() ->
                    flowsSent(h, sw, batch.get(), result, error, started)), loop);
        } else if (h.flows.inStep()) {
            h.appliedRevision = intent.revision();
        }
    }

    private void retryLater(HostState h, HostState.Retry retry, Throwable error) {
        Duration wait = retry.failed(rootMessage(error), clock.instant());
        log.warn("host {}: {}; retrying in {} ms", h.name, retry.error().orElseThrow(), wait.toMillis());
        loop.schedule(() -> run(() -> { }), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void read(HostState h, SwitchHandle sw, boolean audit) {
        h.reading = true;
        sw.flows().whenCompleteAsync((table, error) -> run(() -> tableRead(h, sw, table, error, audit)), loop);
    }

    private void tableRead(HostState h, SwitchHandle sw, FlowTable table, Throwable error, boolean audit) {
        if (hosts.get(h.name) != h || h.sw != sw) {
            return;
        }
        h.reading = false;
        if (error != null) {
            retryLater(h, h.flowSends, error);
            return;
        }
        if (!audit) {
            h.flows.loaded(table);
            return;
        }
        SwitchFlows.Drift drift = h.flows.audit(table);
        if (!drift.isEmpty()) {
            h.driftsRepaired++;
            h.lastDrift = Optional.of(new HostStatus.Drift(clock.instant(), drift.toString()));
            changedAt.merge(h.name, compiler.generation(), Math::max);
            log.warn("host {}: its switch's flows were changed outside Weft ({}); repairing", h.name, drift);
        }
    }

    private void flowsSent(HostState h, SwitchHandle sw, SwitchFlows.Batch batch, ApplyResult result,
                           Throwable error, long started) {
        if (hosts.get(h.name) != h) {
            return;
        }
        if (error != null) {
            h.flows.failed(batch);
            retryLater(h, h.flowSends, error);
            return;
        }
        h.flows.acknowledged(batch);
        h.flowSends.succeeded();
        h.lastSync = Optional.of(clock.instant());
        if (h.sw == sw && !result.unchanged()) {
            log.info("host {}: {} flows added, {} modified, {} removed in {} ms", h.name, result.added(),
                    result.modified(), result.deleted(), (System.nanoTime() - started) / 100_000 / 10.0);
        }
    }

    // ---- drift

    /** Compares each idle switch's flow counts (or, now and then, its whole table) with what it acknowledged. */
    private void audit() {
        for (HostState h : hosts.values()) {
            SwitchHandle sw = h.sw;
            if (sw == null || h.reading || !h.flows.inStep()) {
                continue;
            }
            if (++h.auditsSinceFullRead >= settings.fullReadEvery()) {
                h.auditsSinceFullRead = 0;
                read(h, sw, true);
                continue;
            }
            Map<Integer, Long> expected = h.flows.expectedCounts();
            sw.flowCounts().whenCompleteAsync((counts, error) -> run(() -> {
                if (error == null && h.sw == sw && !h.reading && h.flows.inStep() && !counts.equals(expected)) {
                    read(h, sw, true);
                }
            }), loop);
        }
    }

    // ---- reads (any thread)

    private List<InstallWaiters.HostProgress> progress() {
        List<InstallWaiters.HostProgress> list = new ArrayList<>(hosts.size());
        for (HostState h : hosts.values()) {
            list.add(new InstallWaiters.HostProgress() {
                @Override
                public String name() {
                    return h.name;
                }

                @Override
                public long changedAt() {
                    return changedAt.getOrDefault(h.name, -1L);
                }

                @Override
                public boolean settled(long revision) {
                    // An endpoint deleted since the plan was made holds nothing up.
                    if (!h.hasPlan()) {
                        return intent.ports().on(h.name).values().stream()
                                .allMatch(id -> writtenAt.getOrDefault(id, Long.MAX_VALUE) > revision);
                    }
                    return h.plan.unconfirmed().stream()
                            .allMatch(id -> writtenAt.getOrDefault(id, Long.MAX_VALUE) > revision);
                }

                @Override
                public boolean portsCaughtUpTo(long generation) {
                    return h.hasPlan() && h.portsCaughtUpTo(generation);
                }

                @Override
                public boolean flowsCaughtUpTo(long generation) {
                    return h.hasPlan() && h.flows.caughtUpTo(generation);
                }

                @Override
                public String pendingReason() {
                    return reason(h);
                }
            });
        }
        return list;
    }

    private String reason(HostState h) {
        if (h.unusable.isPresent()) {
            return h.unusable.get();
        }
        if (!h.ovsdb.connected()) {
            return "OVSDB not connected";
        }
        if (!h.plan.unconfirmed().isEmpty()) {
            return "waiting for OVS to make port(s) " + h.plan.unconfirmed().stream().map(intent.endpoints()::get)
                    .filter(e -> e != null).map(e -> e.port() + " (" + e.id() + ")").sorted().toList();
        }
        if (h.sw == null) {
            return "OpenFlow not connected";
        }
        return h.lastError().orElse("installing");
    }

    private void publish() {
        Map<String, HostStatus> statuses = new TreeMap<>();
        Map<String, PMap<String, Integer>> ofports = new HashMap<>();
        List<Long> matched = new ArrayList<>();
        for (HostState h : hosts.values()) {
            statuses.put(h.name, h.status());
            ofports.put(h.name, h.plan.ofports());
            if (h.sw != null) {
                matched.add(h.sw.datapathId());
            }
        }
        List<PlainSwitch> plain = switches.values().stream().filter(s -> !matched.contains(s.datapathId()))
                .map(s -> new PlainSwitch(s.datapathId(), portNames(s)))
                .sorted(Comparator.comparingLong(PlainSwitch::datapathId)).toList();
        view = new Published(intent, Map.copyOf(statuses), Map.copyOf(ofports), plain);
        published.complete(null);
    }

    private static Map<Long, String> portNames(SwitchHandle sw) {
        Map<Long, String> names = new TreeMap<>();
        sw.ports().forEach((ofport, info) -> names.put(ofport, info.name()));
        return names;
    }

    @Override
    public StoreState intent() {
        return store.current();
    }

    @Override
    public CompletableFuture<InstallProgress> awaitInstalled(long revision) {
        CompletableFuture<InstallProgress> installed = new CompletableFuture<>();
        run(() -> waiters.await(revision, installed, progress()));
        return installed;
    }

    @Override
    public InstallProgress installProgress(long revision) {
        return onLoop(() -> waiters.progress(revision, progress()));
    }

    @Override
    public Optional<HostStatus> status(String host) {
        return Optional.ofNullable(view.statuses().get(host));
    }

    @Override
    public long endpointWrittenAt(EndpointId id, long seenAt) {
        return view.intent().revision() < seenAt ? seenAt : writtenAt.getOrDefault(id, seenAt);
    }

    @Override
    public Optional<Integer> endpointOfport(String host, String port) {
        PMap<String, Integer> ports = view.ofports().get(host);
        return ports == null ? Optional.empty() : Optional.ofNullable(ports.get(port));
    }

    @Override
    public List<FlowRule> desiredFlows(String host) {
        return onLoop(() -> sorted(Optional.ofNullable(hosts.get(host)).map(h -> List.copyOf(h.flows.desired()))
                .orElse(List.of())));
    }

    @Override
    public List<FlowRule> installedFlows(String host) {
        return onLoop(() -> sorted(Optional.ofNullable(hosts.get(host)).map(h -> List.copyOf(h.flows.installed()))
                .orElse(List.of())));
    }

    @Override
    public List<PlainSwitch> plainSwitches() {
        return view.plainSwitches();
    }

    /** In the order an operator reads a dump: by table, then priority from high to low. */
    private static List<FlowRule> sorted(List<FlowRule> flows) {
        return flows.stream().sorted(Comparator.comparingInt(FlowRule::tableId)
                .thenComparing(Comparator.comparingInt(FlowRule::priority).reversed())
                .thenComparingLong(FlowRule::cookie)).toList();
    }

    private <T> T onLoop(java.util.function.Supplier<T> read) {
        try {
            return CompletableFuture.supplyAsync(read, loop).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the reconciler's state", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the reconciler's state: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            CompletableFuture.runAsync(() -> {
                closed = true;
                waiters.failAll(new IllegalStateException("the controller is stopping"));
                hosts.values().forEach(h -> h.ovsdb.close());
                hosts.clear();
            }, loop).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("reconciler did not stop cleanly: {}", e.toString());
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
