package io.weft.controller.reconcile;

import io.weft.model.DatapathId;
import io.micrometer.core.instrument.MeterRegistry;
import io.weft.controller.events.ControllerEvent;
import io.weft.controller.events.EventBus;
import io.weft.controller.events.EventSubscription;
import io.weft.controller.plain.Topology;
import io.weft.controller.store.Store;
import io.weft.controller.store.StoreChange;
import io.weft.controller.store.StoreState;
import io.weft.controller.view.ControllerView;
import io.weft.controller.view.HostStatus;
import io.weft.controller.view.HostUnreadableException;
import io.weft.controller.view.InstallProgress;
import io.weft.controller.view.PlainSwitch;
import io.weft.controller.view.SwitchReading;
import io.weft.flows.FlowDelta;
import io.weft.flows.HostFlows;
import io.weft.flows.NameQueries;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.FlowRule;
import io.weft.model.ovs.DesiredBridge;
import io.weft.southbound.FlowTable;
import io.weft.southbound.PacketIn;
import io.weft.southbound.PortEvent;
import io.weft.southbound.Role;
import io.weft.southbound.StaleRoleException;
import io.weft.southbound.SwitchHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
import org.pcollections.HashTreePMap;
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
    private static final Duration EARLY_READ_KEPT = Duration.ofSeconds(30);
    /** How long a read of a switch's flows for a reader ({@link #readFlows}) may take. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    /** A table read asked for when its switch connected ({@link System#nanoTime} then). */
    private record EarlyRead(SwitchHandle sw, CompletableFuture<FlowTable> table, long sentNanos) {
    }

    /**
     * @param auditInterval how often each switch's per-table flow counts are compared with what it acknowledged;
     *                      zero: never (drift is then not repaired)
     * @param fullReadEvery every how many audits the whole table is read and compared instead (finds a changed
     *                      flow, which leaves the counts as they were)
     */
    public record Settings(Duration auditInterval, int fullReadEvery) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), 30);
    }

    private final Store store;
    private final HostConnector connector;
    private final Leadership leadership;
    private final ScheduledExecutorService loop;
    private final Clock clock;
    private final Settings settings;

    // Confined to the loop.
    private final Map<String, HostState> hosts = new TreeMap<>();
    private final Map<Long, SwitchHandle> switches = new HashMap<>();
    /** When each switch in {@link #switches} finished its handshake ({@link System#nanoTime}). */
    private final Map<Long, Long> switchesConnectedAt = new HashMap<>();
    /**
     * Tables asked for as their switch connected, before OVSDB told whose br-int it is: the switch reads while the
     * host's OVSDB cache arrives and its flows compile. Kept until the switch is matched to a host, disconnects, or
     * has waited {@link #EARLY_READ_KEPT} (a switch of no host).
     */
    private final Map<Long, EarlyRead> earlyReads = new HashMap<>();
    private final FabricCompiler compiler = new FabricCompiler();
    private final InstallWaiters waiters;
    private final EndpointFacts endpointFacts;
    private final PortSync ports;
    private final FlowSync flows;
    private final PlainFabric plain;
    private final ReconcileMeters meters;
    private final Queue<StoreChange> commits = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean commitsQueued = new AtomicBoolean();
    private StoreState intent = StoreState.EMPTY;
    /** What this replica may do, as of the last step; checked again at the start of every step. */
    private Mandate mandate = Mandate.SOLE;
    /** The controller targets given to the br-int of a host that names no passive target of its own. */
    private List<String> replicaTargets;
    /** What start-up times are counted from ({@link System#nanoTime}): the process's start, or {@link #start}. */
    private long originNanos;
    private boolean allInSyncLogged;
    private boolean stepQueued;
    private boolean closed;

    // Read by any thread.
    /** The revision at which each endpoint of the intent was last written. */
    private final Map<EndpointId, Long> writtenAt = new ConcurrentHashMap<>();
    private volatile Published view = Published.EMPTY;
    /** Whether this replica answers switches (packet-ins), as of the last step. */
    private volatile boolean writes;
    /** Completes once the first step has published: the stored intent is in. */
    private final CompletableFuture<Void> published = new CompletableFuture<>();
    /** The facts the loop finds, for whoever follows them; publishing never waits for a reader. */
    private final EventBus events;

    /** What readers see, rebuilt after every step: cheap, immutable, never waits for the loop. */
    private record Published(StoreState intent, Map<String, HostStatus> statuses,
                             Map<String, PMap<String, Integer>> ofports, List<PlainSwitch> plainSwitches,
                             Topology plainTopology) {
        static final Published EMPTY = new Published(StoreState.EMPTY, Map.of(), Map.of(), List.of(),
                Topology.EMPTY);
    }

    /**
     * @param loop                     a single-threaded executor: every decision is taken on it
     * @param advertisedOpenflowTarget the controller target bridges are given when their host names no passive
     *                                 target of its own, e.g. {@code unix:/run/weft/openflow.sock}
     * @param registry                 where the passes and each host's meters are recorded
     */
    public Reconciler(Store store, HostConnector connector, String advertisedOpenflowTarget,
                      ScheduledExecutorService loop, Clock clock, Settings settings, MeterRegistry registry) {
        this(store, connector, advertisedOpenflowTarget, loop, clock, settings, registry, Leadership.SOLE);
    }

    /**
     * As above, one of several replicas: it writes only while {@code leadership} says so, and bridges are given
     * every replica's target ({@link #replicaTargets}).
     */
    public Reconciler(Store store, HostConnector connector, String advertisedOpenflowTarget,
                      ScheduledExecutorService loop, Clock clock, Settings settings, MeterRegistry registry,
                      Leadership leadership) {
        this.store = store;
        this.connector = connector;
        this.leadership = leadership;
        this.writes = leadership.mandate().writes(); // before the first step: switches may connect before it
        this.replicaTargets = List.of(advertisedOpenflowTarget);
        this.loop = loop;
        this.clock = clock;
        this.settings = settings;
        this.waiters = new InstallWaiters();
        this.events = EventBus.startingNow(clock);
        this.endpointFacts = new EndpointFacts(waiters, events, clock);
        Loop inbox = new Loop() {
            @Override
            public void run(Runnable event) {
                Reconciler.this.run(event);
            }

            @Override
            public void stepAfter(Duration delay) {
                loop.schedule(() -> Reconciler.this.run(() -> { }), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        };
        this.ports = new PortSync(compiler, inbox, clock, events, this::superseded);
        this.flows = new FlowSync(compiler, inbox, clock, settings.fullReadEvery(), events, this::superseded);
        this.plain = new PlainFabric(inbox, clock, PlainFabric.Settings.DEFAULTS);
        this.meters = new ReconcileMeters(registry);
    }

    /**
     * Takes in the stored intent and returns once it is published: a reader right after this sees every host, even
     * if nothing is connected yet.
     */
    public void start() {
        start(System.nanoTime());
    }

    /**
     * As {@link #start()}; each host's first time in sync is logged with where its time went, counted from
     * {@code originNanos} (a {@link System#nanoTime} value: the controller process's start).
     */
    public void start(long originNanos) {
        this.originNanos = originNanos;
        store.addListener(change -> {
            commits.add(change);
            if (commitsQueued.compareAndSet(false, true)) {
                run(this::drainCommits);
            }
        });
        run(() -> committed(new StoreChange(intent, store.current(), List.of())));
        boolean audits = !settings.auditInterval().isZero();
        long every = (audits ? settings.auditInterval() : Settings.DEFAULTS.auditInterval()).toMillis();
        loop.scheduleWithFixedDelay(() -> run(() -> {
            if (!mandate.writes()) {
                hosts.values().forEach(flows::followerAudit);
                return;
            }
            if (audits) {
                hosts.values().forEach(flows::audit);
                plain.audit();
            }
            long oldest = System.nanoTime() - EARLY_READ_KEPT.toNanos();
            earlyReads.values().removeIf(r -> r.sentNanos() < oldest);
        }), every, every, TimeUnit.MILLISECONDS);
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
        long at = System.nanoTime();
        run(() -> {
            claim(sw, mandate); // the role request goes before the table read, on the same connection
            switches.put(sw.datapathId(), sw);
            switchesConnectedAt.put(sw.datapathId(), at);
            earlyReads.put(sw.datapathId(), new EarlyRead(sw, sw.flows(), System.nanoTime()));
            matchSwitches();
            claimIfPlain(sw);
        });
    }

    /**
     * A switch that is no host's br-int, and is not named br-int (that one waits for its host's OVSDB to tell whose
     * it is), is a plain switch: forwarded on as one ({@link PlainFabric}), never mixed with the overlay.
     */
    private void claimIfPlain(SwitchHandle sw) {
        boolean hosts = this.hosts.values().stream().anyMatch(h -> h.sw == sw || h.refusedSwitch == sw);
        boolean brInt = sw.ports().values().stream()
                .anyMatch(p -> p.name().equals(DesiredBridge.INTEGRATION_BRIDGE));
        if (!hosts && !brInt) {
            EarlyRead early = earlyReads.remove(sw.datapathId());
            plain.connected(sw, Optional.ofNullable(early).filter(e -> e.sw() == sw).map(EarlyRead::table),
                    clock.instant());
        }
    }

    /** A port of a switch appeared, went or changed state. */
    public void portStatus(long datapathId, PortEvent event) {
        run(() -> plain.portStatus(datapathId, event, clock.instant()));
    }

    /** A switch sent a packet to the controller (only plain switches' flows do); a follower does not answer. */
    public void packetIn(long datapathId, PacketIn packet) {
        run(() -> {
            if (mandate.writes()) {
                plain.packetIn(datapathId, packet, clock.instant());
            }
        });
    }

    /** Whether this replica answers switches' packet-ins now: it is the leader, or the only replica. */
    public boolean answersSwitches() {
        return writes;
    }

    /** The leadership changed (or may have): the next step takes the new mandate. */
    public void leadershipChanged() {
        run(() -> { });
    }

    /**
     * The OpenFlow targets of every live replica: the br-int of each host that names no passive target of its own
     * is given all of them, so that its switch connects to every replica.
     */
    public void replicaTargets(List<String> targets) {
        List<String> sorted = targets.stream().distinct().sorted().toList();
        if (sorted.isEmpty()) {
            return; // never a bridge without a controller: the registry is being read again
        }
        run(() -> {
            if (sorted.equals(replicaTargets)) {
                return;
            }
            log.info("replicas' OpenFlow targets now {}", sorted);
            replicaTargets = sorted;
            for (HostState h : hosts.values()) {
                if (h.host.openflowTarget().isEmpty()) {
                    h.controllerTargets = sorted;
                    h.replan = true;
                    h.replanAll = true;
                }
            }
        });
    }

    private void superseded(String why) {
        log.warn("a newer leader has taken over ({}); stepping down", why);
        leadership.superseded(why);
    }

    /** Asks {@code sw} for the role {@code m} gives this replica; a refused MASTER means a newer leader exists. */
    private void claim(SwitchHandle sw, Mandate m) {
        if (m.kind() == Mandate.Kind.SOLE) {
            return;
        }
        if (sw.version().singleTable()) {
            // OpenFlow 1.0 has no roles (nor meters): on such a plain switch only the lease keeps an old leader out.
            return;
        }
        Role role = m.kind() == Mandate.Kind.LEADER ? Role.MASTER : Role.SLAVE;
        CompletableFuture<Role> asked = sw.setRole(role, m.generation());
        if (role == Role.MASTER) {
            // The meter the DNS flows name, right behind the role request and before any table read's batch: a
            // switch that connected while no replica led has none (a slave's meter-mod is refused).
            sw.ensureMeter(NameQueries.METER).whenComplete((ok, error) -> {
                if (error != null) {
                    log.warn("switch {}: DNS meter not set as master: {}", DatapathId.hex(sw.datapathId()),
                            rootMessage(error));
                }
            });
        }
        asked.whenComplete((granted, error) -> {
            if (error == null) {
                return;
            }
            Throwable cause = rootCause(error);
            if (cause instanceof StaleRoleException && role == Role.MASTER) {
                run(() -> superseded(cause.getMessage()));
            } else if (!(cause instanceof StaleRoleException)) {
                log.warn("switch {}: role {} not set: {}", DatapathId.hex(sw.datapathId()), role,
                        cause.toString());
            }
        });
    }

    /**
     * This replica's mandate changed: every switch is told its role; a new leader takes every host's OVSDB over
     * and reads every table afresh before its first batch (nothing is sent for flows that are right); a follower
     * stops writing to OVSDB, even on reconnects.
     */
    private void mandateChanged(Mandate next) {
        Mandate was = mandate;
        mandate = next;
        writes = next.writes();
        log.info("mandate {} -> {}", was, next);
        switches.values().forEach(sw -> claim(sw, next));
        if (next.kind() == Mandate.Kind.LEADER) {
            plain.takeOver(clock.instant());
        }
        for (HostState h : hosts.values()) {
            if (next.kind() == Mandate.Kind.LEADER) {
                flows.takeOver(h);
            }
            guard(h, next);
        }
    }

    /** Makes {@code h}'s OVSDB session write as {@code m} says: fenced as its leader generation, or not at all. */
    private void guard(HostState h, Mandate m) {
        if (m.kind() == Mandate.Kind.LEADER) {
            h.ovsdb.lead(m.generation()).whenComplete((ok, error) -> {
                if (error != null && rootCause(error) instanceof io.weft.ovsdb.FencedException fenced) {
                    run(() -> superseded(fenced.getMessage()));
                }
            });
        } else if (m.kind() == Mandate.Kind.FOLLOWER) {
            h.ovsdb.follow();
        }
    }

    public void switchDisconnected(long datapathId) {
        run(() -> {
            switches.remove(datapathId);
            switchesConnectedAt.remove(datapathId);
            earlyReads.remove(datapathId);
            plain.disconnected(datapathId, clock.instant());
            for (HostState h : hosts.values()) {
                if (h.refusedSwitch != null && h.refusedSwitch.datapathId() == datapathId) {
                    h.refusedSwitch = null;
                }
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
        StoreState before = intent;
        if (published.isDone() && change.topology()) {
            networksChanged(before, next);
        }
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
            Set<String> touched = change.ports().get(h.name);
            if (change.topology()) {
                h.replan = true;
                h.replanAll = true;
            } else if (touched != null) {
                h.replan = true;
                h.touchedPorts.addAll(touched);
            }
        }
        if (published.isDone()) { // the stored intent taken in at start is no news
            endpointFacts.committed(change, before, next, () -> intent, writtenAt, this::progress);
        }
    }

    private void networksChanged(StoreState before, StoreState after) {
        Instant at = clock.instant();
        after.networks().keySet().stream().filter(n -> !before.networks().containsKey(n))
                .forEach(n -> events.publish(new ControllerEvent.NetworkCreated(at, n)));
        before.networks().keySet().stream().filter(n -> !after.networks().containsKey(n))
                .forEach(n -> events.publish(new ControllerEvent.NetworkRemoved(at, n)));
    }

    /** Opens a new host's OVSDB session; a host whose session cannot be made is kept, with why, and isolated. */
    private HostState open(Host host) {
        List<String> targets = host.openflowTarget().map(List::of).orElse(replicaTargets);
        OvsdbSide ovsdb;
        Optional<String> unusable = Optional.empty();
        try {
            ovsdb = connector.connect(host, () -> ovsdbChanged(host.name()));
        } catch (RuntimeException e) {
            unusable = Optional.of("cannot connect to this host: " + e.getMessage());
            log.error("host {}: {}; the other hosts go on", host.name(), unusable.get());
            events.publish(new ControllerEvent.Failure(clock.instant(), Optional.of(host.name()), unusable.get()));
            ovsdb = OvsdbSide.UNREACHABLE;
        }
        log.info("host {} added (tunnel IP {}, OVSDB {})", host.name(), host.tunnelIp(),
                host.ovsdbTarget().orElse("passive"));
        // Hosts of the stored intent count from the process's start; one added later, from now.
        HostState h = new HostState(host, ovsdb, targets, unusable,
                published.isDone() ? System.nanoTime() : originNanos, meters.host(host.name(), this::status));
        guard(h, mandate);
        return h;
    }

    private void retire(HostState h) {
        hosts.remove(h.name);
        h.retired = true;
        h.meters.remove();
        compiler.hostRemoved(h.name);
        log.info("host {} removed: taking down its Weft ports", h.name);
        if (h.plan.bridge() == null || !h.ovsdb.connected() || !mandate.writes()) {
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
            if (sw.isPresent() && sw.get().version().singleTable()) {
                refuse(h, sw.get());
                continue;
            }
            if (sw.isPresent() && h.sw != sw.get()) {
                h.refusedSwitch = null;
                h.sw = sw.get();
                plain.disconnected(h.sw.datapathId(), clock.instant());
                h.firstSync.switchConnected(switchesConnectedAt.getOrDefault(h.sw.datapathId(), System.nanoTime()));
                h.flows.reconnected();
                h.reading = false;
                EarlyRead early = earlyReads.remove(h.sw.datapathId());
                if (early != null && early.sw() == h.sw) {
                    flows.adopt(h, early.sw(), early.table(), early.sentNanos());
                }
                log.info("host {}: OpenFlow connected (datapath {})", h.name,
                        DatapathId.hex(h.sw.datapathId()));
            }
        }
    }

    /**
     * A host's br-int that speaks only OpenFlow 1.0 is not used: the overlay needs several tables, tunnel metadata and
     * meters. It stays connected and idle (fail_mode=secure: it forwards nothing) until Weft's OVSDB side has set its
     * protocols back and it reconnects with 1.3.
     */
    private void refuse(HostState h, SwitchHandle sw) {
        if (h.refusedSwitch == sw) {
            return;
        }
        h.refusedSwitch = sw;
        h.sw = null;
        plain.disconnected(sw.datapathId(), clock.instant());
        log.warn("host {}: {}; its switch is not programmed", h.name, h.switchRefused().orElseThrow());
    }

    // ---- the step: compute, then send

    private void step() {
        stepQueued = false;
        if (closed) {
            return;
        }
        long started = System.nanoTime();
        Mandate now = leadership.mandate();
        if (!now.equals(mandate)) {
            mandateChanged(now);
        }
        hosts.values().forEach(h -> ports.plan(h, intent));
        Instant readAt = clock.instant();
        hosts.values().forEach(h -> flows.readIfUnknown(h, readAt));
        compile();
        Instant at = clock.instant();
        if (mandate.writes()) {
            for (HostState h : hosts.values()) {
                ports.send(h, at);
                flows.send(h, at, compiler.generation(), intent.revision());
            }
            plain.step(at);
        } else {
            for (HostState h : hosts.values()) {
                ports.observe(h);
                flows.observe(h, at, intent.revision());
            }
        }
        // Published first: whoever a waiter wakes reads the state that woke it.
        publish();
        waiters.check(progress());
        meters.passed(started);
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
            if (!published.isDone()) {
                // The stored intent, taken in at start: no host has flows yet and nobody waits. Each host's flows
                // are compiled in full once its OVSDB cache is read.
                compiler.advance(intent);
                deltas = Map.of();
            } else {
                deltas = compiler.step(intent);
            }
        } catch (IllegalArgumentException e) {
            log.error("revision {} cannot be compiled; flows stay as they are: {}", intent.revision(),
                    e.getMessage());
            return;
        }
        long generation = compiler.generation();
        deltas.forEach((host, delta) -> {
            HostState h = hosts.get(host);
            if (h != null) {
                h.changed(generation);
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
                h.firstSync.compiled(System.nanoTime(), flows.flows().size());
                h.baselined = true;
                h.changed(generation);
            });
        }
        waiters.stepped(generation, intent.revision());
    }

    // ---- reads (any thread)

    private List<HostProgress> progress() {
        return hosts.values().stream().map(h -> new HostProgress(h, intent, writtenAt)).toList();
    }

    private void publish() {
        Map<String, HostStatus> statuses = new TreeMap<>();
        Map<String, PMap<String, Integer>> ofports = new HashMap<>();
        List<Long> matched = new ArrayList<>();
        long now = System.nanoTime();
        for (HostState h : hosts.values()) {
            HostStatus status = h.status();
            statuses.put(h.name, status);
            if (status.inSync() && h.firstSync.inSync(now, status.flowModsSent())) {
                log.info("host {} {}", h.name, h.firstSync.summary());
            }
            ofports.put(h.name, h.plan.ofports());
            if (h.sw != null) {
                matched.add(h.sw.datapathId());
            }
            if (h.refusedSwitch != null) {
                matched.add(h.refusedSwitch.datapathId());
            }
        }
        Instant at = clock.instant();
        StatusEvents.between(view.statuses(), statuses, at).forEach(events::publish);
        List<PlainSwitch> plainSwitches = switches.values().stream().filter(s -> !matched.contains(s.datapathId()))
                .map(s -> new PlainSwitch(s.datapathId(), portNames(s), plain.inSync(s.datapathId(), at),
                        s.version().number()))
                .sorted(Comparator.comparingLong(PlainSwitch::datapathId)).toList();
        view = new Published(intent, Map.copyOf(statuses), Map.copyOf(ofports), plainSwitches, plain.topology());
        published.complete(null);
        if (!allInSyncLogged && !hosts.isEmpty() && hosts.values().stream().allMatch(h -> h.firstSync.isInSync())) {
            allInSyncLogged = true;
            HostState last = hosts.values().stream()
                    .max(Comparator.comparingLong(h -> h.firstSync.inSyncMillis())).orElseThrow();
            log.info("all {} hosts in sync {} ms after start (the last: {})", hosts.size(),
                    last.firstSync.inSyncMillis(), last.name);
        }
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
        run(() -> waiters.await(revision, installed, progress())); // run() steps after: publish, then check
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
    public CompletableFuture<SwitchReading> readFlows(String host) {
        CompletableFuture<SwitchHandle> sw = CompletableFuture.supplyAsync(() -> {
            HostState h = hosts.get(host);
            if (h == null) {
                throw new HostUnreadableException(host, "no such host");
            }
            if (h.sw == null) {
                throw new HostUnreadableException(host, "its switch is not connected over OpenFlow");
            }
            return h.sw;
        }, loop);
        return sw.thenCompose(SwitchHandle::flows)
                .orTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((table, error) -> {
                    if (error == null) {
                        return reading(host, table);
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof HostUnreadableException e) {
                        throw e;
                    }
                    throw new HostUnreadableException(host, cause instanceof TimeoutException
                            ? "its switch did not answer a flow read within " + READ_TIMEOUT.toSeconds() + " s"
                            : "reading its switch's flows failed: " + rootMessage(cause));
                });
    }

    private SwitchReading reading(String host, FlowTable table) {
        List<SwitchReading.CountedFlow> counted = new ArrayList<>(table.flows().size());
        for (FlowRule f : table.flows()) {
            FlowTable.Counters c = table.countersOf(f);
            counted.add(new SwitchReading.CountedFlow(f, c.packets(), c.bytes()));
        }
        return new SwitchReading(host, clock.instant(), counted, table.foreign().size());
    }

    @Override
    public NetworkSnapshot snapshot() {
        Published v = view;
        return v.intent().toSnapshot(HashTreePMap.<String, Map<String, Integer>>from(v.ofports()));
    }

    @Override
    public EventSubscription subscribe(OptionalLong after) {
        return events.subscribe(after);
    }

    @Override
    public List<PlainSwitch> plainSwitches() {
        return view.plainSwitches();
    }

    @Override
    public Topology plainTopology() {
        return view.plainTopology();
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
        Throwable c = rootCause(t);
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
