package io.weft.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.model.ConnectionTarget;
import io.weft.model.ovs.DesiredBridge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weft's session with one host's ovsdb-server: the connection (active with reconnect and backoff, or attached by
 * the passive {@link OvsdbManagerListener}), the monitored cache, and provisioning. {@link #apply} calls run one
 * after the other per host; hosts are independent of each other. After every (re)connection the last desired
 * bridge is diffed and applied again, so an ovsdb-server restart converges by itself.
 */
public final class OvsdbHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OvsdbHost.class);
    static final String MONITOR_ID = "weft";
    private static final int MAX_CONFLICT_RETRIES = 5;

    private final String name;
    private final Optional<String> target;
    private final OvsdbTransport transport;
    private final ConnectionOptions options;
    private final ReconnectBackoff backoff;
    private final Duration applyTimeout;
    private final List<OvsdbHostListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger transactionsSent = new AtomicInteger();
    /** Applies queued but not yet planned: they will diff against the new connection's cache anyway. */
    private final AtomicInteger waitingToPlan = new AtomicInteger();

    private final Object lock = new Object();
    private volatile OvsdbSnapshot snapshot = OvsdbSnapshot.EMPTY;
    private OvsdbConnection connection;
    private OvsdbConnection latest;
    private CompletableFuture<OvsdbConnection> ready = new CompletableFuture<>();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private DesiredBridge lastDesired;
    /** Above 0: every transaction is fenced as this leader generation ({@link LeaderFence}); 0: unguarded. */
    private volatile long leaderGeneration;
    /** This replica follows: applies are refused and nothing is re-applied on reconnect. */
    private boolean following;
    private final List<CfgWaiter> cfgWaiters = new ArrayList<>();
    private int failedAttempts;
    private boolean closed;

    private record CfgWaiter(long cfg, CompletableFuture<Long> done) {
    }

    private OvsdbHost(String name, Optional<String> target, OvsdbTransport transport, ConnectionOptions options,
                      ReconnectBackoff backoff, Duration applyTimeout) {
        this.name = name;
        this.target = target;
        this.transport = transport;
        this.options = options;
        this.backoff = backoff;
        this.applyTimeout = applyTimeout;
    }

    /** Connects to {@code tcp:}, {@code ssl:} or {@code unix:} now and keeps reconnecting until closed. */
    public static OvsdbHost active(String name, String target, OvsdbTransport transport, ConnectionOptions options,
                                   ReconnectBackoff backoff) {
        ConnectionTarget.connectable("OVSDB", target);
        OvsdbHost host = new OvsdbHost(name, Optional.of(target), transport, options, backoff, Duration.ofSeconds(60));
        host.connectNow();
        return host;
    }

    public static OvsdbHost active(String name, String target, OvsdbTransport transport) {
        return active(name, target, transport, ConnectionOptions.defaults(), ReconnectBackoff.defaults());
    }

    /** A host that connects to us ({@code set-manager}); {@link #attach} is called by the listener. */
    public static OvsdbHost passive(String name, OvsdbTransport transport) {
        return new OvsdbHost(name, Optional.empty(), transport, ConnectionOptions.defaults(),
                ReconnectBackoff.defaults(), Duration.ofSeconds(60));
    }

    public String name() {
        return name;
    }

    public void addListener(OvsdbHostListener listener) {
        listeners.add(listener);
    }

    public OvsdbSnapshot snapshot() {
        return snapshot;
    }

    public boolean isConnected() {
        synchronized (lock) {
            return connection != null;
        }
    }

    /** Transactions sent since this host object was created (tests check that a no-op pass sends none). */
    public int transactionsSent() {
        return transactionsSent.get();
    }

    public OptionalInt ofport(String portName) {
        return snapshot.ofport(portName);
    }

    /** The integration bridge's datapath id (the bridge last applied, {@code br-int} before any apply). */
    public Optional<String> datapathId() {
        DesiredBridge d;
        synchronized (lock) {
            d = lastDesired;
        }
        return snapshot.datapathId(d == null ? DesiredBridge.INTEGRATION_BRIDGE : d.name());
    }

    /**
     * Makes the host's bridge match {@code desired} with at most one transaction (none when nothing differs).
     * Completes once ovs-vswitchd has applied it ({@code cur_cfg} caught up); waits for a connection if there is none.
     */
    public CompletableFuture<ProvisionResult> apply(DesiredBridge desired) {
        synchronized (lock) {
            if (following) {
                return CompletableFuture.failedFuture(new IllegalStateException(name + ": this replica follows; "
                        + "only the leader writes to OVSDB"));
            }
            lastDesired = desired;
            return enqueue(desired);
        }
    }

    /**
     * From now on this session writes as leader {@code generation}: the host is taken over now (its fence set to
     * {@code generation} unless it holds as much already), and every transaction after waits for that fence.
     * Completes once the host is held; fails with {@link FencedException} when a newer leader holds it.
     */
    public CompletableFuture<Void> lead(long generation) {
        if (generation <= 0) {
            throw new IllegalArgumentException("a leader generation is positive, not " + generation);
        }
        synchronized (lock) {
            following = false;
            leaderGeneration = generation;
            CompletableFuture<Void> held = tail.handle((x, e) -> null)
                    .thenCompose(x -> withConflictRetries(0, conflicts -> takeOverNow(generation)))
                    .orTimeout(applyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            tail = held;
            return held;
        }
    }

    /** From now on this session only reads: applies are refused, and nothing is re-applied when it reconnects. */
    public void follow() {
        synchronized (lock) {
            following = true;
            lastDesired = null;
        }
    }

    private CompletableFuture<Void> takeOverNow(long generation) {
        CompletableFuture<OvsdbConnection> whenReady;
        synchronized (lock) {
            whenReady = ready;
        }
        return whenReady.thenCompose(c -> {
            OvsdbSnapshot current = snapshot;
            if (LeaderFence.holder(current) == generation) {
                return CompletableFuture.completedFuture(null);
            }
            List<Operation> takeOver = LeaderFence.guard(generation, current, name);
            transactionsSent.incrementAndGet();
            return c.transact(takeOver).thenAccept(results ->
                    LOG.info("{}: held by this replica as leader generation {}", name, generation));
        });
    }

    /**
     * Runs {@code attempt} (given how many attempts failed before), and again after a short pause when its
     * transaction lost a race (a {@code wait} failed).
     */
    private <T> CompletableFuture<T> withConflictRetries(int conflicts,
                                                         IntFunction<CompletableFuture<T>> attempt) {
        return attempt.apply(conflicts).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof OvsdbException oe && oe.isWaitTimeout() && conflicts < MAX_CONFLICT_RETRIES) {
                // Someone changed what we planned against: wait for the cache to see it, plan again.
                LOG.info("{}: changed concurrently, planning again", name);
                return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                                50L << conflicts, TimeUnit.MILLISECONDS, transport.scheduler()))
                        .thenCompose(x -> withConflictRetries(conflicts + 1, attempt));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private CompletableFuture<ProvisionResult> enqueue(DesiredBridge desired) {
        AtomicBoolean notPlannedYet = new AtomicBoolean(true);
        waitingToPlan.incrementAndGet();
        Runnable planning = () -> {
            if (notPlannedYet.compareAndSet(true, false)) {
                waitingToPlan.decrementAndGet();
            }
        };
        CompletableFuture<ProvisionResult> result = tail.handle((x, e) -> null)
                .thenCompose(x -> withConflictRetries(0, conflicts -> applyNow(desired, planning, conflicts)))
                .orTimeout(applyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> planning.run());
        tail = result;
        return result;
    }

    /** @param conflicts how many earlier attempts lost a race: the transactions sent before this one */
    private CompletableFuture<ProvisionResult> applyNow(DesiredBridge desired, Runnable planning, int conflicts) {
        CompletableFuture<OvsdbConnection> whenReady;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("host " + name + " is closed"));
            }
            whenReady = ready;
        }
        return whenReady.thenCompose(c -> {
            planning.run();
            OvsdbSnapshot current = snapshot;
            ProvisionPlan plan = ProvisionPlanner.plan(desired, current);
            plan.notes().forEach(n -> LOG.info("{}: {}", name, n));
            if (plan.isEmpty()) {
                return CompletableFuture.completedFuture(new ProvisionResult(name, 0, 0, current.curCfg()));
            }
            long generation = leaderGeneration;
            List<Operation> guard = generation > 0 ? LeaderFence.guard(generation, current, name) : List.of();
            List<Operation> ops = new ArrayList<>(guard);
            ops.addAll(plan.operations());
            transactionsSent.incrementAndGet();
            return c.transact(ops).thenCompose(results -> {
                long cfg = plan.nextCfg(results.subList(guard.size(), results.size()));
                return awaitCfg(cfg).thenApply(x -> new ProvisionResult(name, ops.size(), conflicts + 1, cfg));
            });
        });
    }

    private CompletableFuture<Long> awaitCfg(long cfg) {
        synchronized (lock) {
            if (snapshot.curCfg() >= cfg) {
                return CompletableFuture.completedFuture(snapshot.curCfg());
            }
            CfgWaiter w = new CfgWaiter(cfg, new CompletableFuture<>());
            cfgWaiters.add(w);
            return w.done();
        }
    }

    /** Takes over a connection (passive mode, or our own active connect): monitor, fill the cache, re-apply. */
    public void attach(OvsdbConnection c) {
        synchronized (lock) {
            if (closed) {
                c.close();
                return;
            }
            latest = c;
        }
        c.onNotification((method, params) -> {
            if ("update".equals(method) && params.isArray() && params.size() == 2
                    && MONITOR_ID.equals(params.get(0).asText())) {
                updated(c, params.get(1));
            }
        });
        c.closeFuture().whenComplete((v, e) -> detached(c, e));
        c.monitor(MONITOR_ID, OvsdbSnapshot.MONITORED_COLUMNS).whenComplete((initial, e) -> {
            if (e != null) {
                LOG.warn("{}: monitor failed on {}: {}", name, c.peer(), e.getMessage());
                c.close();
                return;
            }
            OvsdbSnapshot s;
            try {
                s = OvsdbSnapshot.EMPTY.apply(initial);
            } catch (RuntimeException bad) {
                c.fail(new OvsdbConnectionException(c.peer() + ": bad monitor reply: " + bad.getMessage(), bad));
                return;
            }
            OvsdbConnection previous;
            CompletableFuture<OvsdbConnection> toComplete;
            DesiredBridge again;
            synchronized (lock) {
                if (latest != c || closed) {
                    c.close();
                    return;
                }
                previous = connection;
                connection = c;
                failedAttempts = 0;
                snapshot = s;
                if (ready.isDone()) {
                    ready = new CompletableFuture<>();
                }
                toComplete = ready;
                again = waitingToPlan.get() > 0 ? null : lastDesired;
            }
            if (previous != null && previous != c) {
                previous.close();
            }
            LOG.info("{}: connected to {}", name, c.peer());
            listeners.forEach(l -> l.connected(this, s));
            toComplete.complete(c);
            if (again != null) {
                synchronized (lock) {
                    enqueue(again).whenComplete((r, err) -> {
                        if (err != null) {
                            LOG.warn("{}: re-applying desired state after connecting failed: {}", name, err.toString());
                        }
                    });
                }
            }
        });
    }

    private void updated(OvsdbConnection c, JsonNode tableUpdates) {
        OvsdbSnapshot before;
        OvsdbSnapshot after;
        List<CfgWaiter> done = new ArrayList<>();
        synchronized (lock) {
            if (connection != c) {
                return;
            }
            before = snapshot;
            after = before.apply(tableUpdates);
            snapshot = after;
            long cur = after.curCfg();
            cfgWaiters.removeIf(w -> w.cfg() <= cur && done.add(w));
        }
        listeners.forEach(l -> l.cacheChanged(this, before, after));
        done.forEach(w -> w.done().complete(after.curCfg()));
    }

    private void detached(OvsdbConnection c, Throwable cause) {
        boolean wasCurrent;
        boolean reconnect;
        List<CfgWaiter> failed;
        synchronized (lock) {
            wasCurrent = connection == c;
            if (wasCurrent) {
                connection = null;
                if (ready.isDone()) {
                    ready = new CompletableFuture<>();
                }
            }
            failed = wasCurrent ? List.copyOf(cfgWaiters) : List.of();
            if (wasCurrent) {
                cfgWaiters.clear();
            }
            reconnect = !closed && target.isPresent() && latest == c;
        }
        Throwable why = cause != null ? cause : new OvsdbConnectionException(c.peer() + ": closed");
        failed.forEach(w -> w.done().completeExceptionally(why));
        if (wasCurrent) {
            LOG.info("{}: disconnected: {}", name, why.getMessage());
            listeners.forEach(l -> l.disconnected(this, why));
        }
        if (reconnect) {
            scheduleReconnect();
        }
    }

    private void connectNow() {
        String t = target.orElseThrow();
        transport.connect(t, options).whenComplete((c, e) -> {
            if (e != null) {
                LOG.debug("{}: connect to {} failed: {}", name, t, e.getMessage());
                scheduleReconnect();
            } else {
                attach(c);
            }
        });
    }

    private void scheduleReconnect() {
        Duration delay;
        synchronized (lock) {
            if (closed) {
                return;
            }
            delay = backoff.delay(failedAttempts++);
        }
        transport.scheduler().schedule(this::connectNow, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        OvsdbConnection c;
        OvsdbConnection l;
        CompletableFuture<OvsdbConnection> waiting;
        synchronized (lock) {
            closed = true;
            c = connection;
            l = latest;
            waiting = ready;
        }
        waiting.completeExceptionally(new IllegalStateException("host " + name + " is closed"));
        if (c != null) {
            c.close();
        }
        if (l != null && l != c) {
            l.close();
        }
    }

    @Override
    public String toString() {
        return "OvsdbHost[" + name + target.map(t -> " " + t).orElse(" passive") + "]";
    }
}
