package io.weft.controller.cluster;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.etcd.jetcd.Client;
import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.reconcile.Leadership;
import io.weft.controller.reconcile.Mandate;
import io.weft.controller.store.StoreHealth;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This process among the replicas: alone (no etcd: it leads, always), or registered and campaigning on etcd. Owns
 * the one thread that talks to etcd for it.
 */
public final class Replicas implements AutoCloseable {

    private final ReplicaInfo self;
    private final Optional<EtcdLeadership> election;
    private final Optional<ReplicaRegistry> registry;
    private final Optional<ScheduledExecutorService> executor;
    private final long pollMillis;

    private Replicas(ReplicaInfo self, Optional<EtcdLeadership> election, Optional<ReplicaRegistry> registry,
                     Optional<ScheduledExecutorService> executor, long pollMillis) {
        this.self = self;
        this.election = election;
        this.registry = registry;
        this.executor = executor;
        this.pollMillis = pollMillis;
    }

    /** The only replica, on the embedded store. */
    public static Replicas sole(ReplicaInfo self) {
        return new Replicas(self, Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /**
     * One of the replicas on {@code target}.
     *
     * @param leadershipChanged told when this replica's mandate may have changed
     * @param openflowTargets   told every live replica's OpenFlow target whenever the replicas change
     */
    public static Replicas onEtcd(Client client, EtcdTarget target, ReplicaInfo self, ReplicaSettings settings,
                                  Runnable leadershipChanged, Consumer<List<String>> openflowTargets) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("weft-cluster", true));
        EtcdLeadership election = new EtcdLeadership(client, target, self.id(), settings.leaderLease(), executor,
                leadershipChanged);
        ReplicaRegistry registry = new ReplicaRegistry(client, target, self, settings.leaderLease(),
                replicas -> openflowTargets.accept(replicas.stream().map(ReplicaInfo::openflowTarget).toList()));
        return new Replicas(self, Optional.of(election), Optional.of(registry), Optional.of(executor),
                Math.max(100, settings.leaderLease().toMillis() / 3));
    }

    /** What the reconciler asks before it writes. */
    public Leadership leadership() {
        return election.<Leadership>map(e -> e).orElse(Leadership.SOLE);
    }

    /** Registers this replica and reads the others, before the reconciler starts: bridges name them all at once. */
    public void register() {
        registry.ifPresent(r -> run(r::poll));
    }

    /** Campaigns, and keeps the replicas read. */
    public void start() {
        election.ifPresent(EtcdLeadership::start);
        registry.ifPresent(r -> executor.orElseThrow().scheduleWithFixedDelay(r::poll, pollMillis, pollMillis,
                TimeUnit.MILLISECONDS));
    }

    private void run(Runnable task) {
        try {
            executor.orElseThrow().submit(task).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot register this replica in etcd: " + e.getMessage(), e);
        }
    }

    /** The replicas as this one sees them, beside {@code store}: whether the store takes writes now. */
    public ClusterView view(StoreHealth store) {
        if (election.isEmpty()) {
            return new ClusterView(self.id(), "sole", Optional.of(new ClusterView.Leader(self.id(), 0)),
                    List.of(self), "embedded", store);
        }
        Mandate m = election.get().mandate();
        return new ClusterView(self.id(), m.kind() == Mandate.Kind.LEADER ? "leader" : "follower",
                election.get().leader(), registry.orElseThrow().replicas(), "etcd", store);
    }

    /** Resigns and deregisters: the others elect a leader and drop this replica's target without waiting. */
    @Override
    public void close() {
        election.ifPresent(EtcdLeadership::close);
        registry.ifPresent(r -> {
            try {
                executor.orElseThrow().submit(r::close).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closing anyway
            }
        });
        executor.ifPresent(ScheduledExecutorService::shutdownNow);
    }
}
