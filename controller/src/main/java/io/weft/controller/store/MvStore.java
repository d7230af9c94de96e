package io.weft.controller.store;

import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeMap;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded durable store: one H2 MVStore file ({@value #FILE_NAME}) in the data directory.
 *
 * <p>Every Weft commit is one MVStore commit: a single append-only chunk written to the file under the commit lock, so
 * a crash leaves all of it or none (MVStore reopens at the last complete chunk) and a SIGKILLed process loses nothing
 * it acknowledged. Before {@link #commit} returns, an fsync also makes it survive power loss; concurrent commits share
 * one fsync (group commit), which is what lets many writers go faster than the disk's fsync rate.
 *
 * <p>Auto-commit is off (a background commit could persist half of a Weft commit); the store compacts itself every
 * {@value #COMPACT_EVERY} commits instead, which keeps the append-only file from growing without bound.
 */
public final class MvStore extends AbstractStore {

    public static final String FILE_NAME = "weft.mv.db";

    private static final Logger LOG = LoggerFactory.getLogger(MvStore.class);
    private static final String REVISION = "revision";
    static final int COMPACT_EVERY = 1000;
    /** How long MVStore keeps superseded chunks before reusing their space; far above the fsync latency. */
    private static final int RETENTION_MS = 5_000;

    private final MVStore mv;
    private final MVMap<String, String> hosts;
    private final MVMap<String, String> networks;
    private final MVMap<String, String> endpoints;
    private final MVMap<String, Long> meta;
    private final Object syncLock = new Object();
    private long durableRevision; // guarded by syncLock
    private int sinceCompaction; // guarded by the commit lock
    private final boolean fsync;

    private MvStore(MVStore mv, StoreState loaded, boolean fsync) {
        super("mvstore", loaded);
        this.mv = mv;
        this.fsync = fsync;
        this.hosts = mv.openMap("hosts");
        this.networks = mv.openMap("networks");
        this.endpoints = mv.openMap("endpoints");
        this.meta = mv.openMap("meta");
        this.durableRevision = loaded.revision();
    }

    /** Opens (creating if needed) the store in {@code dataDir}; commits survive SIGKILL and power loss. */
    public static MvStore open(Path dataDir) {
        return open(dataDir, true);
    }

    /**
     * @param fsync false skips the fsync: commits still survive the process being killed (they are in the kernel's
     *              page cache) but not the machine crashing; several times faster on slow disks
     */
    public static MvStore open(Path dataDir, boolean fsync) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        Path file = dataDir.resolve(FILE_NAME);
        MVStore mv = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        try {
            mv.setRetentionTime(RETENTION_MS);
            StoreState loaded = load(mv);
            LOG.info("store {} opened at revision {}: {} hosts, {} networks, {} endpoints", file, loaded.revision(),
                    loaded.hosts().size(), loaded.networks().size(), loaded.endpoints().size());
            return new MvStore(mv, loaded, fsync);
        } catch (RuntimeException e) {
            mv.closeImmediately();
            throw e;
        }
    }

    private static StoreState load(MVStore mv) {
        TreeMap<String, Host> h = new TreeMap<>();
        mv.<String, String>openMap("hosts").values().forEach(json -> {
            Host x = Codec.decodeHost(json);
            h.put(x.name(), x);
        });
        TreeMap<String, Network> n = new TreeMap<>();
        mv.<String, String>openMap("networks").values().forEach(json -> {
            Network x = Codec.decodeNetwork(json);
            n.put(x.name(), x);
        });
        TreeMap<EndpointId, Endpoint> e = new TreeMap<>();
        mv.<String, String>openMap("endpoints").values().forEach(json -> {
            Endpoint x = Codec.decodeEndpoint(json);
            e.put(x.id(), x);
        });
        Long revision = mv.<String, Long>openMap("meta").get(REVISION);
        return new StoreState(revision == null ? 0 : revision, h, n, e);
    }

    @Override
    protected void persist(StoreState next, List<Mutation> mutations) {
        try {
            for (Mutation m : mutations) {
                if (m instanceof Mutation.PutHost p) {
                    hosts.put(p.host().name(), Codec.encode(p.host()));
                } else if (m instanceof Mutation.DeleteHost d) {
                    hosts.remove(d.name());
                } else if (m instanceof Mutation.PutNetwork p) {
                    networks.put(p.network().name(), Codec.encode(p.network()));
                } else if (m instanceof Mutation.DeleteNetwork d) {
                    networks.remove(d.name());
                } else if (m instanceof Mutation.PutEndpoint p) {
                    endpoints.put(Codec.key(p.endpoint().id()), Codec.encode(p.endpoint()));
                } else if (m instanceof Mutation.DeleteEndpoint d) {
                    endpoints.remove(Codec.key(d.id()));
                }
            }
            meta.put(REVISION, next.revision());
            mv.commit();
        } catch (RuntimeException e) {
            // Drop the half-applied, uncommitted changes so the maps match the last durable commit again.
            mv.rollback();
            throw e;
        }
        if (++sinceCompaction >= COMPACT_EVERY) {
            sinceCompaction = 0;
            try {
                mv.compact(80, 16 << 20);
            } catch (RuntimeException e) {
                LOG.warn("store compaction failed; the file may grow until the next attempt", e);
            }
        }
    }

    @Override
    protected void awaitDurable(long revision) {
        if (!fsync) {
            return;
        }
        synchronized (syncLock) {
            if (durableRevision >= revision) {
                return; // another writer's fsync covered this commit
            }
            long written = current().revision(); // every revision up to here is in the file already
            mv.sync();
            durableRevision = Math.max(durableRevision, written);
        }
    }

    @Override
    public void close() {
        super.close();
        mv.close();
    }
}
