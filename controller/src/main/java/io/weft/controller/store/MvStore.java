package io.weft.controller.store;

import io.weft.controller.store.SealFile.Seal;
import java.nio.file.Path;
import java.util.List;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded durable store: one H2 MVStore file ({@value #FILE_NAME}) in the data directory, and its seal
 * ({@link SealFile}): the last committed revision and checksum, kept apart.
 *
 * <p>Every Weft commit is one MVStore commit: a single append-only chunk written to the file under the commit lock, so
 * a crash leaves all of it or none (MVStore reopens at the last complete chunk) and a SIGKILLed process loses nothing
 * it acknowledged. Before {@link #commit} returns, an fsync also makes it survive power loss; concurrent commits share
 * one fsync (group commit), which is what lets many writers go faster than the disk's fsync rate. The seal is then
 * written (no fsync of its own).
 *
 * <p>Each commit also stores the content's checksum ({@link StoreDigest}, updated per mutation). Opening checks the
 * files read-only first and refuses damage with a {@link DamagedStoreException}; see this package's description.
 *
 * <p>Auto-commit is off (a background commit could persist half of a Weft commit); the store compacts itself every
 * {@value #COMPACT_EVERY} commits instead, which keeps the append-only file from growing without bound.
 */
public final class MvStore extends AbstractStore {

    public static final String FILE_NAME = "weft.mv.db";

    static final String HOSTS = "hosts";
    static final String NETWORKS = "networks";
    static final String ENDPOINTS = "endpoints";
    static final String META = "meta";
    static final String REVISION = "revision";
    static final String DIGEST = "digest";
    static final int COMPACT_EVERY = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(MvStore.class);
    /** How long MVStore keeps superseded chunks before reusing their space; far above the fsync latency. */
    private static final int RETENTION_MS = 5_000;

    private final MVStore mv;
    private final SealFile seal;
    private final MVMap<String, String> hosts;
    private final MVMap<String, String> networks;
    private final MVMap<String, String> endpoints;
    private final MVMap<String, Long> meta;
    private final boolean fsync;
    private final Object syncLock = new Object();
    private long sealedRevision; // guarded by syncLock
    private long contentDigest; // guarded by the commit lock
    private volatile Seal written; // the last revision in the file, with its digest
    private int sinceCompaction; // guarded by the commit lock

    private MvStore(MVStore mv, StoreVerifier.Verified loaded, SealFile seal, boolean fsync) {
        super("mvstore", loaded.state());
        this.mv = mv;
        this.seal = seal;
        this.fsync = fsync;
        this.hosts = mv.openMap(HOSTS);
        this.networks = mv.openMap(NETWORKS);
        this.endpoints = mv.openMap(ENDPOINTS);
        this.meta = mv.openMap(META);
        this.contentDigest = loaded.contentDigest();
        this.written = loaded.asSeal();
        this.sealedRevision = loaded.state().revision();
    }

    /** Opens (creating if needed) the store in {@code dataDir}; commits survive SIGKILL and power loss. */
    public static MvStore open(Path dataDir) {
        return open(dataDir, true);
    }

    /**
     * @param fsync false skips the fsync: commits still survive the process being killed (they are in the kernel's
     *              page cache) but not the machine crashing; several times faster on slow disks
     * @throws DamagedStoreException if the files do not hold the last committed state; nothing was written
     * @throws StoreOpenException    if another process has the store open
     */
    public static MvStore open(Path dataDir, boolean fsync) {
        StoreFiles files = new StoreFiles(dataDir);
        files.createDirectory();
        long started = System.nanoTime();
        StoreVerifier.Verified found = StoreVerifier.verify(files);
        long verified = System.nanoTime();
        files.createDataFile();
        MVStore mv;
        try {
            mv = new MVStore.Builder().fileName(files.data().toString()).autoCommitDisabled().open();
        } catch (MVStoreException e) {
            throw e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED ? StoreVerifier.inUse(files.data()) : e;
        }
        try {
            mv.setRetentionTime(RETENTION_MS);
            Long revision = mv.<String, Long>openMap(META).get(REVISION);
            if ((revision == null ? 0 : revision) != found.state().revision()) {
                throw new DamagedStoreException(dataDir, FILE_NAME + " changed while it was being opened");
            }
            Seal now = found.asSeal();
            SealFile sealFile;
            if (found.seal().isPresent()) {
                sealFile = SealFile.open(files.seal());
                if (found.seal().get().revision() < now.revision()) {
                    sealFile.write(now); // it lagged: the last commits before a crash were not sealed yet
                }
            } else {
                sealFile = SealFile.create(files.seal(), now);
                if (now.revision() > 0) {
                    LOG.warn("store {} had no {} (written by an older Weft): it could not be checked for lost "
                            + "commits this time; sealed now at revision {}", files.data(), SealFile.FILE_NAME,
                            now.revision());
                }
            }
            files.restrictAccess();
            StoreState s = found.state();
            LOG.info("store {} opened at revision {}: {} hosts, {} networks, {} endpoints; read and checked in {} ms, "
                    + "opened for writing in {} ms", files.data(), s.revision(), s.hosts().size(), s.networks().size(),
                    s.endpoints().size(), (verified - started) / 1_000_000, (System.nanoTime() - verified) / 1_000_000);
            return new MvStore(mv, found, sealFile, fsync);
        } catch (RuntimeException e) {
            mv.closeImmediately();
            throw e;
        }
    }

    /**
     * Moves a damaged store's files out of the way, renamed {@code NAME.damaged-TIME} and kept for inspection, so that
     * the next {@link #open} starts a new, empty store. Only for an operator who chose to discard the state.
     *
     * @return the files' new names
     */
    public static List<Path> setAsideDamaged(Path dataDir) {
        return new StoreFiles(dataDir).setAside();
    }

    @Override
    protected void persist(StoreState next, List<Mutation> mutations) {
        long content = contentDigest;
        try {
            for (Mutation m : mutations) {
                if (m instanceof Mutation.PutHost p) {
                    content += put(hosts, HOSTS, p.host().name(), Codec.encode(p.host()));
                } else if (m instanceof Mutation.DeleteHost d) {
                    content += remove(hosts, HOSTS, d.name());
                } else if (m instanceof Mutation.PutNetwork p) {
                    content += put(networks, NETWORKS, p.network().name(), Codec.encode(p.network()));
                } else if (m instanceof Mutation.DeleteNetwork d) {
                    content += remove(networks, NETWORKS, d.name());
                } else if (m instanceof Mutation.PutEndpoint p) {
                    content += put(endpoints, ENDPOINTS, Codec.key(p.endpoint().id()), Codec.encode(p.endpoint()));
                } else if (m instanceof Mutation.DeleteEndpoint d) {
                    content += remove(endpoints, ENDPOINTS, Codec.key(d.id()));
                }
            }
            long digest = StoreDigest.withRevision(content, next.revision());
            meta.put(REVISION, next.revision());
            meta.put(DIGEST, digest);
            mv.commit();
            contentDigest = content;
            written = new Seal(next.revision(), digest);
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

    /** Stores a record; returns how the content digest changes. */
    private static long put(MVMap<String, String> map, String name, String key, String value) {
        String old = map.put(key, value);
        return StoreDigest.record(name, key, value) - (old == null ? 0 : StoreDigest.record(name, key, old));
    }

    /** Removes a record; returns how the content digest changes. */
    private static long remove(MVMap<String, String> map, String name, String key) {
        String old = map.remove(key);
        return old == null ? 0 : -StoreDigest.record(name, key, old);
    }

    /** Makes the file durable up to {@code revision} (with fsync), then seals the last revision in it. */
    @Override
    protected void awaitDurable(long revision) {
        synchronized (syncLock) {
            if (sealedRevision >= revision) {
                return; // another writer's fsync and seal covered this commit
            }
            Seal last = written; // every revision up to here is in the file already
            if (fsync) {
                mv.sync();
            }
            seal.write(last);
            sealedRevision = last.revision();
        }
    }

    @Override
    public void close() {
        super.close();
        synchronized (syncLock) {
            if (mv.isClosed()) {
                return;
            }
            try {
                mv.sync();
                seal.write(written);
                seal.force();
            } finally {
                seal.close();
                mv.close();
            }
        }
    }
}
