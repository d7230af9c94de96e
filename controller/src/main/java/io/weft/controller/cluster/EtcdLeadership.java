package io.weft.controller.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.reconcile.Leadership;
import io.weft.controller.reconcile.Mandate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's part in the election under {@code PREFIX/election} (jetcd's Election API, on a lease of
 * {@code ttl}). Elected, it leads as generation = its election key's create revision, for as long as its
 * {@link LeaseDeadline} holds; it keeps the lease alive itself (one keepalive every third of the TTL, each timed
 * from its sending). It steps down at once when the lease is not renewed in time, when etcd says it expired, or when
 * a switch or host has seen a newer leader ({@link #superseded}); then it revokes the lease (the next replica is
 * elected without waiting for the TTL) and campaigns again with a new one. All work runs on one thread.
 */
public final class EtcdLeadership implements Leadership, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtcdLeadership.class);

    private final Client client;
    private final EtcdTarget target;
    private final String self;
    private final Duration ttl;
    private final ScheduledExecutorService executor;
    private final Runnable changed;
    private final LeaseDeadline deadline = new LeaseDeadline();

    // Confined to the executor.
    /** The election lease of the campaign under way or won; 0: none. */
    private long lease;
    private boolean closed;

    // Read by any thread.
    private volatile boolean leading;
    private volatile long generation;
    private volatile Optional<ClusterView.Leader> leader = Optional.empty();

    /**
     * @param executor a single thread, shared with whatever else polls etcd for this replica
     * @param changed  told whenever the mandate may have changed (from the executor's thread)
     */
    public EtcdLeadership(Client client, EtcdTarget target, String self, Duration ttl,
                          ScheduledExecutorService executor, Runnable changed) {
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("the leader lease must be at least 1 s, not " + ttl);
        }
        this.client = client;
        this.target = target;
        this.self = self;
        this.ttl = ttl;
        this.executor = executor;
        this.changed = changed;
    }

    /** Campaigns, and keeps the lease alive and the leader known every third of the TTL. */
    public void start() {
        executor.execute(this::campaign);
        long period = Math.max(100, ttl.toMillis() / 3);
        executor.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    private ByteSequence name() {
        return target.key("election");
    }

    @Override
    public Mandate mandate() {
        if (leading && deadline.holds(System.nanoTime())) {
            return Mandate.leader(generation);
        }
        return Mandate.follower(leader.map(ClusterView.Leader::generation).orElse(generation));
    }

    /** The leader as last read from etcd (or this replica, while it leads). */
    public Optional<ClusterView.Leader> leader() {
        return leader;
    }

    @Override
    public void superseded(String why) {
        // At once, on the caller's thread: the next mandate() is a follower's, whatever the lease says.
        deadline.lost();
        executor.execute(() -> stepDown(why));
    }

    private void campaign() {
        if (closed || lease != 0) {
            return;
        }
        client.getLeaseClient().grant(ttl.toSeconds()).orTimeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((granted, error) -> {
                    if (error != null) {
                        log.warn("cannot campaign for leadership: {}; trying again",
                                ReplicaRegistry.rootMessage(error));
                        executor.schedule(this::campaign, ttl.toMillis() / 3, TimeUnit.MILLISECONDS);
                        return;
                    }
                    if (closed || lease != 0) {
                        client.getLeaseClient().revoke(granted.getID());
                        return;
                    }
                    lease = granted.getID();
                    long campaignLease = lease;
                    client.getElectionClient().campaign(name(), campaignLease,
                                    ByteSequence.from(self, StandardCharsets.UTF_8))
                            .whenCompleteAsync((won, e) -> elected(campaignLease, won, e), executor);
                }, executor);
    }

    /** The campaign on {@code campaignLease} ended; it leads once a keepalive sent after proves the lease alive. */
    private void elected(long campaignLease, CampaignResponse won, Throwable error) {
        if (campaignLease != lease || closed) {
            client.getLeaseClient().revoke(campaignLease); // a campaign given up on
            return;
        }
        if (error != null) {
            stepDown("campaign failed: " + ReplicaRegistry.rootMessage(error));
            return;
        }
        LeaderKey key = won.getLeader();
        long sent = System.nanoTime();
        client.getLeaseClient().keepAliveOnce(campaignLease).orTimeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((alive, e) -> {
                    if (campaignLease != lease || closed) {
                        return;
                    }
                    if (e != null || alive.getTTL() <= 0) {
                        stepDown("elected, but the lease did not survive the campaign");
                        return;
                    }
                    deadline.renewed(sent, Duration.ofSeconds(alive.getTTL()));
                    generation = key.getRevision();
                    leading = true;
                    leader = Optional.of(new ClusterView.Leader(self, generation));
                    log.info("this replica leads, generation {} (lease {} s)", generation, ttl.toSeconds());
                    changed.run();
                }, executor);
    }

    private void tick() {
        if (closed) {
            return;
        }
        if (leading && !deadline.holds(System.nanoTime())) {
            stepDown("the lease was not renewed within its TTL");
        }
        if (lease != 0) {
            long kept = lease;
            long sent = System.nanoTime();
            client.getLeaseClient().keepAliveOnce(kept).orTimeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
                    .whenCompleteAsync((alive, e) -> renewed(kept, sent, alive, e), executor);
        }
        readLeader();
    }

    private void renewed(long kept, long sent, LeaseKeepAliveResponse alive, Throwable error) {
        if (kept != lease || closed) {
            return;
        }
        if (error == null && alive.getTTL() > 0) {
            deadline.renewed(sent, Duration.ofSeconds(alive.getTTL()));
        } else if (error == null) {
            stepDown("etcd says the lease expired");
        } else if (leading) {
            log.debug("keepalive failed: {}", error.toString()); // the deadline decides
        }
    }

    private void readLeader() {
        client.getKVClient().get(target.key("election/"), GetOption.builder().isPrefix(true)
                        .withSortField(GetOption.SortTarget.CREATE).withSortOrder(GetOption.SortOrder.ASCEND)
                        .withLimit(1).build())
                .orTimeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((read, error) -> {
                    if (error != null || closed) {
                        return;
                    }
                    List<KeyValue> kvs = read.getKvs();
                    Optional<ClusterView.Leader> now = kvs.isEmpty() ? Optional.empty()
                            : Optional.of(new ClusterView.Leader(kvs.get(0).getValue().toString(StandardCharsets.UTF_8),
                            kvs.get(0).getCreateRevision()));
                    if (!now.equals(leader)) {
                        leader = now;
                        changed.run();
                    }
                }, executor);
    }

    private void stepDown(String why) {
        boolean was = leading;
        leading = false;
        deadline.lost();
        long old = lease;
        lease = 0;
        if (was) {
            log.warn("this replica steps down ({}): it programs nothing until elected again", why);
            leader = Optional.empty();
            changed.run();
        } else {
            log.info("campaign ended ({}); campaigning again", why);
        }
        if (old != 0) {
            client.getLeaseClient().revoke(old); // the next candidate is elected now, not after the TTL
        }
        if (!closed) {
            executor.schedule(this::campaign, ttl.toMillis() / 3, TimeUnit.MILLISECONDS);
        }
    }

    /** Resigns: the lease is revoked, and the next replica is elected without waiting for the TTL. */
    @Override
    public void close() {
        try {
            executor.submit(() -> {
                closed = true;
                leading = false;
                deadline.lost();
                if (lease != 0) {
                    client.getLeaseClient().revoke(lease);
                    lease = 0;
                }
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("leadership did not close cleanly: {}", e.toString());
        }
    }
}
