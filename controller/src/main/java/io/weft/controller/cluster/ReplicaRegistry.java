package io.weft.controller.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.stub.StreamObserver;
import io.weft.controller.etcd.EtcdTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live replicas, each under {@code PREFIX/replicas/ID} with a lease of its own (kept alive by jetcd): a replica
 * that dies or stays paused past the TTL drops out, and registers again when it comes back. Read again on every
 * {@link #poll}; confined to the caller's one thread, except {@link #replicas}.
 */
public final class ReplicaRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaRegistry.class);

    private final Client client;
    private final EtcdTarget target;
    private final ReplicaInfo self;
    private final Duration ttl;
    private final Consumer<List<ReplicaInfo>> changed;
    private long lease;
    private boolean registering;
    private AutoCloseable keepAlive;
    private volatile List<ReplicaInfo> replicas = List.of();

    /** @param changed told the live replicas (sorted by id) whenever they change, on the polling thread */
    public ReplicaRegistry(Client client, EtcdTarget target, ReplicaInfo self, Duration ttl,
                           Consumer<List<ReplicaInfo>> changed) {
        this.client = client;
        this.target = target;
        this.self = self;
        this.ttl = ttl;
        this.changed = changed;
    }

    private ByteSequence prefix() {
        return target.key("replicas/");
    }

    /** Reads the replicas; registers this one if it is not there (first poll, or its lease expired). */
    public void poll() {
        try {
            List<KeyValue> kvs = client.getKVClient().get(prefix(), GetOption.builder().isPrefix(true).build())
                    .get(ttl.toMillis(), TimeUnit.MILLISECONDS).getKvs();
            List<ReplicaInfo> read = new ArrayList<>();
            boolean registered = false;
            for (KeyValue kv : kvs) {
                try {
                    ReplicaInfo r = ReplicaInfo.fromJson(kv.getValue().getBytes());
                    read.add(r);
                    registered |= r.id().equals(self.id()) && kv.getLease() == lease;
                } catch (IllegalArgumentException e) {
                    log.warn("{}: {}", kv.getKey().toString(StandardCharsets.UTF_8), e.getMessage());
                }
            }
            if (!registered) {
                register();
                // Read before its own put: else a leader's bridges would lose this replica until the next poll.
                read.removeIf(r -> r.id().equals(self.id()));
                read.add(self);
            }
            read.sort(Comparator.comparing(ReplicaInfo::id));
            if (!read.equals(replicas)) {
                replicas = List.copyOf(read);
                log.info("replicas: {}", read.stream().map(ReplicaInfo::id).toList());
                changed.accept(replicas);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("reading the replicas: {}", rootMessage(e)); // kept as they were; read again next poll
        }
    }

    private void register() throws Exception {
        if (registering) {
            return;
        }
        registering = true;
        try {
            closeKeepAlive();
            long granted = client.getLeaseClient().grant(ttl.toSeconds()).get(ttl.toMillis(), TimeUnit.MILLISECONDS)
                    .getID();
            client.getKVClient().put(target.key("replicas/" + self.id()), ByteSequence.from(self.toJson()),
                    PutOption.builder().withLeaseId(granted).build()).get(ttl.toMillis(), TimeUnit.MILLISECONDS);
            lease = granted;
            keepAlive = client.getLeaseClient().keepAlive(granted, new StreamObserver<>() {
                @Override
                public void onNext(LeaseKeepAliveResponse value) {
                }

                @Override
                public void onError(Throwable t) {
                    log.debug("replica lease keepalive: {}", t.toString()); // the next poll registers again
                }

                @Override
                public void onCompleted() {
                }
            });
            log.info("registered as replica {} ({}; OpenFlow {})", self.id(), self.restUrl(), self.openflowTarget());
        } finally {
            registering = false;
        }
    }

    public List<ReplicaInfo> replicas() {
        return replicas;
    }

    private void closeKeepAlive() {
        if (keepAlive != null) {
            try {
                keepAlive.close();
            } catch (Exception e) {
                log.debug("closing a keepalive: {}", e.toString());
            }
            keepAlive = null;
        }
    }

    /** Stops the keepalive and revokes the lease: the others see this replica go at once. */
    @Override
    public void close() {
        closeKeepAlive();
        if (lease != 0) {
            try {
                client.getLeaseClient().revoke(lease).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("revoking the replica lease: {}", e.toString());
            }
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
