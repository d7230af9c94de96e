package io.weft.controller.store.etcd;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.weft.controller.store.StoreHealth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the etcd store's {@link StoreHealth} current: every interval, one linearizable read (which needs a quorum,
 * as a write does) with a short deadline. When it fails, each member is asked for its status, so that the health
 * says why ("2 of 3 members unreachable") rather than only that a read timed out.
 */
final class EtcdHealthMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdHealthMonitor.class);

    private final Client client;
    private final List<String> members;
    private final ByteSequence probeKey;
    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private volatile StoreHealth health;
    private volatile boolean closed;

    /** @param members {@code HOST:PORT} of every member, as the operator named them */
    EtcdHealthMonitor(Client client, List<String> members, String probeKey, Duration interval, Duration timeout) {
        this.client = client;
        this.members = List.copyOf(members);
        this.probeKey = ByteSequence.from(probeKey, StandardCharsets.UTF_8);
        this.interval = interval;
        this.timeout = timeout;
        this.health = writable();
        this.timer = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("weft-store-etcd-health", true));
    }

    void start() {
        timer.schedule(this::check, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    StoreHealth health() {
        return health;
    }

    /** What a write learnt (etcd did not confirm it in time): known at once, until the next check says otherwise. */
    void unwritable(String why) {
        set(new StoreHealth(false, why));
    }

    private StoreHealth writable() {
        return new StoreHealth(true, "etcd quorum reachable (" + members.size() + " member"
                + (members.size() == 1 ? "" : "s") + " configured)");
    }

    private void check() {
        if (closed) {
            return;
        }
        try {
            probe();
        } catch (RuntimeException e) { // the client refused to even send (closing): check again later
            set(new StoreHealth(false, "etcd health check failed: " + e.getMessage()));
            if (!closed) {
                timer.schedule(this::check, interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void probe() {
        client.getKVClient().get(probeKey, GetOption.builder().withCountOnly(true).build())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> failure == null ? CompletableFuture.completedFuture(writable())
                        : diagnose(failure))
                .thenCompose(h -> h)
                .whenComplete((h, failure) -> {
                    set(failure != null ? new StoreHealth(false, "etcd health check failed: " + failure) : h);
                    if (!closed) {
                        timer.schedule(this::check, interval.toMillis(), TimeUnit.MILLISECONDS);
                    }
                });
    }

    private void set(StoreHealth next) {
        StoreHealth before = health;
        health = next;
        if (before.writable() != next.writable()) {
            if (next.writable()) {
                LOG.info("etcd store writable again: {}", next.detail());
            } else {
                LOG.warn("etcd store not writable: {}", next.detail());
            }
        }
    }

    /** Asks every member for its status, to say why the read failed. */
    private CompletableFuture<StoreHealth> diagnose(Throwable readFailure) {
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (String m : members) {
            answers.add(client.getMaintenanceClient().statusMember("http://" + m)
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((status, failure) -> failure != null
                            ? (String.valueOf(failure.getMessage()).contains("no leader") ? "no leader" : "unreachable")
                            : status.getLeader() == 0 ? "no leader" : "ok"));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> new StoreHealth(false, explain(members,
                        answers.stream().map(CompletableFuture::join).toList(), readFailure, timeout)));
    }

    /** Why the cluster cannot take a write, from what each member answered ("ok", "no leader", "unreachable"). */
    static String explain(List<String> members, List<String> answers, Throwable readFailure, Duration timeout) {
        List<String> unreachable = new ArrayList<>();
        List<String> leaderless = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (answers.get(i).equals("unreachable")) {
                unreachable.add(members.get(i));
            } else if (answers.get(i).equals("no leader")) {
                leaderless.add(members.get(i));
            }
        }
        int n = members.size();
        if (unreachable.size() * 2 >= n) {
            return "etcd has no quorum: " + unreachable.size() + " of " + n + " members unreachable ("
                    + String.join(", ", unreachable) + ")";
        }
        if (!leaderless.isEmpty()) {
            return "etcd has no leader (" + String.join(", ", leaderless) + " report none"
                    + (unreachable.isEmpty() ? "" : "; unreachable: " + String.join(", ", unreachable))
                    + "): an election is under way or the members cannot reach each other";
        }
        Throwable cause = readFailure instanceof CompletionException && readFailure.getCause() != null
                ? readFailure.getCause() : readFailure;
        return "etcd did not answer a quorum read within " + timeout.toMillis() + " ms ("
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()) + ")"
                + (unreachable.isEmpty() ? "" : "; unreachable: " + String.join(", ", unreachable));
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }
}
