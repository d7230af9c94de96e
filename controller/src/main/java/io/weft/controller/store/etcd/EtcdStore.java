package io.weft.controller.store.etcd;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.store.Mutation;
import io.weft.controller.store.RevisionConflictException;
import io.weft.controller.store.Store;
import io.weft.controller.store.StoreChange;
import io.weft.controller.store.StoreHealth;
import io.weft.controller.store.StoreListeners;
import io.weft.controller.store.StoreOpenException;
import io.weft.controller.store.StoreState;
import io.weft.controller.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intent in an etcd cluster, shared by every controller replica of a deployment ({@link EtcdLayout} says where).
 *
 * <p>Reads are served from a watched copy: at open, one read of the prefix (a snapshot at one revision), then a
 * watch from the next revision; the events of one transaction share a revision and become one {@link StoreChange}.
 * A watch cancelled because its revision was compacted, or ended, is replaced after a fresh read, and listeners are
 * told the difference as one change ({@link Watched#resync}).
 *
 * <p>A commit is one etcd transaction: if the guard key's mod_revision is still the one the writer's state saw, put
 * and delete the records and put the guard, else read the guard. Every intent write is thereby serialised across
 * replicas: addresses and VNIs, allocated against the whole state, stay unique, and no update is lost. It returns once
 * the watched copy has reached the commit (a writer reads its own write). Writes have a deadline; while
 * {@link #health()} says etcd cannot take one (no quorum), they are refused at once with
 * {@link StoreUnavailableException}. A key that does not decode stops the store from following etcd, loudly, until
 * it is fixed ({@link DamagedEtcdKeyException}).
 */
public final class EtcdStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdStore.class);
    /** Keys per page of a full read: a page stays far below gRPC's 4 MiB message limit. */
    private static final int READ_PAGE = 2000;

    /**
     * @param writeTimeout   how long a commit waits for etcd, and then for its watch to bring the commit back
     * @param readTimeout    how long the full read at open (or a resync) may take
     * @param healthInterval how often the quorum is checked
     * @param healthTimeout  how long a check waits for an answer
     */
    public record Settings(Duration writeTimeout, Duration readTimeout, Duration healthInterval,
                           Duration healthTimeout) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(3), Duration.ofSeconds(10),
                Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    private final Client client;
    private final EtcdLayout layout;
    private final ByteSequence guard;
    private final Settings settings;
    private final EtcdHealthMonitor monitor;
    private final StoreListeners listeners = new StoreListeners("etcd");
    /** Applies watch responses and resyncs, one at a time, in order. */
    private final ScheduledExecutorService follower;
    private final Object progress = new Object(); // notified whenever {@link #watched} moves
    private final Object writers = new Object(); // this replica's updates, one at a time
    private volatile Watched watched;
    /** Why the store stopped following etcd (a key it cannot read); null while it follows. */
    private volatile String damage;
    private Watch.Watcher watcher; // follower thread only
    private long watchGeneration; // follower thread only
    private volatile boolean closed;

    private EtcdStore(Client client, EtcdTarget target, Settings settings) {
        this.client = client;
        this.layout = new EtcdLayout(target);
        this.guard = bytes(layout.guardKey());
        this.settings = settings;
        this.monitor = new EtcdHealthMonitor(client, target.endpoints(), layout.guardKey(), settings.healthInterval(),
                settings.healthTimeout());
        this.follower = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("weft-store-etcd-watch", true));
    }

    /**
     * Reads the intent under the target's prefix and follows it from there.
     *
     * @param client  the replica's etcd client; the store uses it and does not close it
     * @param target  the members (named in the health's explanations) and the deployment's key prefix
     * @throws StoreOpenException if etcd cannot be read in time, or holds a key Weft cannot read
     */
    public static EtcdStore open(Client client, EtcdTarget target, Settings settings) {
        EtcdStore store = new EtcdStore(client, target, settings);
        try {
            long started = System.nanoTime();
            Snapshot s = store.read();
            store.watched = Watched.read(s.keys(), store.layout);
            store.follower.execute(() -> store.follow(s.revision() + 1));
            store.monitor.start();
            StoreState state = store.watched.state();
            LOG.info("etcd store {} opened at revision {}: {} hosts, {} networks, {} endpoints; read in {} ms",
                    target, state.revision(), state.hosts().size(), state.networks().size(), state.endpoints().size(),
                    (System.nanoTime() - started) / 1_000_000);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public StoreState current() {
        return watched.state();
    }

    @Override
    public StoreHealth health() {
        String why = damage;
        return why != null ? new StoreHealth(false, why) : monitor.health();
    }

    @Override
    public StoreState commit(long expectedRevision, List<Mutation> mutations) throws RevisionConflictException {
        StoreHealth health = health();
        if (!health.writable()) {
            throw new StoreUnavailableException("the change was not committed: " + health.detail());
        }
        Watched seen = watched;
        if (seen.state().revision() != expectedRevision) {
            throw new RevisionConflictException(expectedRevision, seen.state().revision());
        }
        List<Op> writes = new ArrayList<>();
        for (Map.Entry<String, Optional<String>> w : layout.writes(mutations).entrySet()) {
            writes.add(w.getValue().isPresent()
                    ? Op.put(bytes(w.getKey()), bytes(w.getValue().get()), PutOption.DEFAULT)
                    : Op.delete(bytes(w.getKey()), DeleteOption.DEFAULT));
        }
        writes.add(Op.put(guard, bytes(Long.toString(expectedRevision)), PutOption.DEFAULT));
        Txn txn = client.getKVClient().txn()
                .If(new Cmp(guard, Cmp.Op.EQUAL, CmpTarget.modRevision(seen.guardRevision())))
                .Then(writes.toArray(Op[]::new))
                .Else(Op.get(guard, GetOption.DEFAULT));
        long deadline = System.nanoTime() + settings.writeTimeout().toNanos();
        TxnResponse reply = await(txn.commit(), deadline);
        if (!reply.isSucceeded()) {
            List<KeyValue> kvs = reply.getGetResponses().get(0).getKvs();
            throw new RevisionConflictException(expectedRevision, kvs.isEmpty() ? 0 : kvs.get(0).getModRevision());
        }
        long revision = reply.getHeader().getRevision();
        Watched after = awaitGuard(revision, deadline);
        if (after.state().revision() < revision) { // events come in revision order: reached it, or not yet
            // Committed, but the watch has not brought it back yet: the state it made is known exactly, since the
            // guard's compare held (no other commit came between).
            LOG.warn("etcd commit at revision {} not seen by the watch within {} ms; answering from the commit",
                    revision, settings.writeTimeout().toMillis());
            return seen.state().apply(mutations, revision);
        }
        return after.state();
    }

    /**
     * Plans against the watched state and commits; after another replica came first, plans again once the watch has
     * brought that commit (not against the same stale state). This replica's writers take turns: every commit
     * compares the one guard, so writers of one replica racing each other would only waste transactions.
     */
    @Override
    public StoreState update(Function<StoreState, List<Mutation>> plan) {
        synchronized (writers) {
            return updateInTurn(plan);
        }
    }

    private StoreState updateInTurn(Function<StoreState, List<Mutation>> plan) {
        for (int attempt = 0; attempt < MAX_PLAN_ATTEMPTS; attempt++) {
            StoreState state = current();
            List<Mutation> mutations = plan.apply(state);
            try {
                return commit(state.revision(), mutations);
            } catch (RevisionConflictException e) {
                Watched w = awaitGuard(e.actual(), System.nanoTime() + settings.writeTimeout().toNanos());
                if (w.guardRevision() < e.actual() && w.state().revision() < e.actual()) {
                    // The watch did not bring the commit that came first: planning again would conflict again.
                    onFollower(this::resync);
                    throw new StoreUnavailableException("the change was not committed: this controller's copy of "
                            + "the intent is behind etcd (revision " + w.state().revision() + ", etcd at "
                            + e.actual() + "); it is reading etcd again, retry shortly");
                }
            }
        }
        throw new IllegalStateException("the store is too busy to commit this change: retry");
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> reply, long deadline) {
        try {
            return reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            String why = "etcd did not confirm the write within " + settings.writeTimeout().toMillis() + " ms";
            monitor.unwritable(why);
            throw new StoreUnavailableException("the change may not have been committed: " + why
                    + "; read before trying again");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StoreUnavailableException("the change was not committed: etcd refused it: "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while committing to etcd", e);
        }
    }

    /** Waits until the watched guard (or the state) is at {@code revision} or later, or the deadline passes. */
    private Watched awaitGuard(long revision, long deadline) {
        synchronized (progress) {
            while (true) {
                Watched w = watched;
                long left = deadline - System.nanoTime();
                if (w.guardRevision() >= revision || w.state().revision() >= revision || left <= 0 || closed) {
                    return w;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return watched;
                }
            }
        }
    }

    @Override
    public void addListener(Consumer<StoreChange> listener) {
        listeners.add(listener);
    }

    // ---- following etcd (follower thread)

    /** Watches the intent from {@code revision}; a watch that ends or is compacted away is replaced by a resync. */
    private void follow(long revision) {
        if (closed) {
            return;
        }
        long generation = ++watchGeneration;
        // Require a leader: a member cut off from the others ends the watch (then resynced elsewhere) rather than
        // going quiet while the others move on.
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision).withPrevKV(true)
                .withRequireLeader(true).build();
        watcher = client.getWatchClient().watch(bytes(layout.intentPrefix()), option, Watch.listener(
                response -> onFollower(() -> received(generation, response)),
                failure -> onFollower(() -> failed(generation, failure)),
                () -> onFollower(() -> ended(generation))));
    }

    /** Hands a watch callback to the follower thread; after close there is nothing left to follow. */
    private void onFollower(Runnable task) {
        try {
            follower.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    private void received(long generation, WatchResponse response) {
        if (generation != watchGeneration || damage != null || response.getEvents().isEmpty()) {
            return;
        }
        List<KeyChange> keys = new ArrayList<>();
        for (WatchEvent e : response.getEvents()) {
            KeyValue kv = e.getKeyValue();
            keys.add(new KeyChange(text(kv.getKey()),
                    e.getEventType() == WatchEvent.EventType.PUT ? Optional.of(text(kv.getValue())) : Optional.empty(),
                    kv.getModRevision()));
        }
        try {
            advance(watched.advance(keys, layout));
        } catch (DamagedEtcdKeyException e) {
            stopFollowing(e);
        }
    }

    private void failed(long generation, Throwable failure) {
        if (generation != watchGeneration) {
            return;
        }
        if (failure instanceof CompactedException c) {
            LOG.warn("etcd compacted revision {} before this store's watch read it: reading the intent again",
                    c.getCompactedRevision());
            resync();
        } else {
            LOG.info("etcd watch interrupted ({}); it resumes where it stopped, or is read again if it ended",
                    failure.getMessage());
        }
    }

    private void ended(long generation) {
        if (generation == watchGeneration && !closed) {
            LOG.warn("etcd watch ended: reading the intent again");
            resync();
        }
    }

    /** Closes the current watch, if any; its late callbacks are ignored. */
    private void unwatch() {
        watchGeneration++;
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** Reads everything again and tells listeners the difference; retried until etcd answers and the keys decode. */
    private void resync() {
        if (closed) {
            return;
        }
        unwatch();
        Snapshot s;
        Watched fresh;
        try {
            s = read();
            fresh = Watched.read(s.keys(), layout);
        } catch (DamagedEtcdKeyException e) {
            stopFollowing(e);
            follower.schedule(this::resync, 1, TimeUnit.SECONDS);
            return;
        } catch (StoreOpenException e) {
            LOG.warn("etcd intent cannot be read again yet ({}): retrying", e.getMessage());
            follower.schedule(this::resync, settings.healthInterval().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        if (damage != null) {
            LOG.info("etcd intent readable again: following it");
            damage = null;
        }
        advance(watched.resync(fresh, s.revision()));
        follow(s.revision() + 1);
    }

    private void advance(Watched.Step step) {
        synchronized (progress) {
            watched = step.after();
            progress.notifyAll();
        }
        step.changes().forEach(listeners::publish);
    }

    /** A key Weft cannot read: stop applying (never guess), refuse writes, keep serving the last state read. */
    private void stopFollowing(DamagedEtcdKeyException e) {
        if (damage == null) {
            LOG.error("{}; the intent stays at revision {} until the key is fixed", e.getMessage(),
                    watched.state().revision());
        }
        damage = e.getMessage();
        unwatch();
        follower.schedule(this::resync, 1, TimeUnit.SECONDS);
    }

    /** Ends the watch as a lost connection would, keeping the state; for tests of what follows ({@link #rewatch}). */
    void dropWatch() throws Exception {
        follower.submit(this::unwatch).get();
    }

    /** Watches again from the revision after the last one applied, as jetcd does once it reconnects. */
    void rewatch() throws Exception {
        follower.submit(() -> follow(watched.state().revision() + 1)).get();
    }

    // ---- reading

    /** Every intent key at one revision. */
    private record Snapshot(List<KeyChange> keys, long revision) {
    }

    /** Reads the prefix page by page, all pages at the first page's revision (one consistent snapshot). */
    private Snapshot read() {
        String prefix = layout.intentPrefix();
        ByteSequence end = OptionsUtil.prefixEndOf(bytes(prefix));
        long deadline = System.nanoTime() + settings.readTimeout().toNanos();
        List<KeyChange> keys = new ArrayList<>();
        long revision = 0;
        ByteSequence from = bytes(prefix);
        try {
            while (true) {
                GetOption.Builder option = GetOption.builder().withRange(end).withLimit(READ_PAGE);
                if (revision > 0) {
                    option.withRevision(revision);
                }
                GetResponse page = client.getKVClient().get(from, option.build())
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (revision == 0) {
                    revision = page.getHeader().getRevision();
                }
                for (KeyValue kv : page.getKvs()) {
                    keys.add(new KeyChange(text(kv.getKey()), Optional.of(text(kv.getValue())), kv.getModRevision()));
                }
                if (!page.isMore() || page.getKvs().isEmpty()) {
                    return new Snapshot(keys, revision);
                }
                from = bytes(text(page.getKvs().get(page.getKvs().size() - 1).getKey()) + '\0');
            }
        } catch (TimeoutException e) {
            throw new StoreOpenException("etcd did not answer a read of " + prefix + " within "
                    + settings.readTimeout().toMillis() + " ms: " + monitor.health().detail());
        } catch (ExecutionException e) {
            throw new StoreOpenException("etcd could not be read (" + prefix + "): "
                    + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreOpenException("interrupted while reading etcd");
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        monitor.close();
        follower.execute(this::unwatch);
        follower.shutdown();
        try {
            follower.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (progress) {
            progress.notifyAll();
        }
        listeners.close();
    }
}
