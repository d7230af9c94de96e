package io.weft.controller.store;

import io.weft.controller.store.SealFile.Seal;
import java.nio.file.Path;
import java.util.ArrayDeque;
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
 * <p>Every Weft commit is one MVStore commit: a single new chunk written to the file under the commit lock, so
 * a crash leaves all of it or none (MVStore reopens at the last complete chunk) and a SIGKILLed process loses nothing
 * it acknowledged. Before {@link #commit} returns, an fsync also makes it survive power loss; concurrent commits share
 * one fsync (group commit), which is what lets many writers go faster than the disk's fsync rate. The seal is then
 * written (no fsync of its own).
 *
 * <p>Each commit also stores the content's checksum ({@link StoreDigest}, updated per mutation). Opening checks the
 * files read-only first and refuses damage with a {@link DamagedStoreException}; see this package's description.
 *
 * <p>Auto-commit is off (a background commit could persist half of a Weft commit); the store compacts itself every
 * {@value #COMPACT_EVERY} commits instead, which rewrites the live pages of nearly empty chunks.
 *
 * <p>Space reuse follows the fsync rather than a clock. A chunk whose pages were all superseded may be overwritten
 * once the chunk that records it dead is durable: until then, a power cut could leave the last acknowledged chunk
 * pointing at an overwritten one. MVStore does not overwrite a chunk that died at a version still in use, so the
 * store pins each commit's version ({@link MVStore#registerVersionUsage}) and releases the pins below the last
 * fsynced commit once the fsync returns; MVStore's own retention time is 0. A time-based retention (H2's default
 * 45 s, 5 s here before) kept every chunk of the last seconds alive instead: at a thousand commits a second that was
 * thousands of chunks at 1-2 % fill, each commit rewriting their metadata (the "layout" map) besides Weft's records.
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
    private final ArrayDeque<Pin> pins = new ArrayDeque<>(); // in revision order; guarded by itself
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
        pinCurrentVersion(sealedRevision);
    }

    /** A commit's MVStore version, kept in use so no chunk that died at or after it is overwritten. */
    private record Pin(long revision, MVStore.TxCounter version) {
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
        return open(dataDir, fsync, "");
    }

    /** @param fileScheme an H2 file system prefix for the data file (tests inject faults through one) */
    static MvStore open(Path dataDir, boolean fsync, String fileScheme) {
        StoreFiles files = new StoreFiles(dataDir);
        files.createDirectory();
        long started = System.nanoTime();
        StoreVerifier.Verified found = StoreVerifier.verify(files);
        long verified = System.nanoTime();
        files.createDataFile();
        MVStore mv;
        try {
            mv = dataFile(fileScheme + files.data()).open();
        } catch (MVStoreException e) {
            throw e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED ? StoreVerifier.inUse(files.data()) : e;
        }
        try {
            mv.setRetentionTime(0); // space is reused after the fsync instead: see the pins
            if (fsync) {
                mv.sync(); // what an earlier process wrote may still be in the page cache only
            }
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
     * How the data file is opened, read-only or for writing. Always by a full scan for the newest chunk whose chunks
     * are all intact (H2's recovery mode): after a power cut, H2's quick path trusts the file header, which MVStore
     * rewrites (without an fsync) when a chunk goes into reused space; a header that reached the disk without its
     * chunk sends the quick path to the end of the file, and it can settle on an older chunk there although the last
     * acknowledged one is intact. The scan reads each block's chunk header or footer, and the file stays small.
     * (Recovery mode also reads an unreadable page as empty; the content checksum refuses that as damage.)
     */
    static MVStore.Builder dataFile(String fileName) {
        return new MVStore.Builder().fileName(fileName).autoCommitDisabled().recoveryMode();
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
            pinCurrentVersion(next.revision());
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

    /** Keeps the version just committed (the one MVStore is at after a commit) in use until it is superseded. */
    private void pinCurrentVersion(long revision) {
        synchronized (pins) {
            pins.add(new Pin(revision, mv.registerVersionUsage()));
        }
    }

    /** Lets MVStore reuse the space of chunks that died before {@code revision}'s commit, now durable. */
    private void releasePinsBelow(long revision) {
        synchronized (pins) {
            while (!pins.isEmpty() && pins.peek().revision() < revision) {
                mv.deregisterVersionUsage(pins.poll().version());
            }
        }
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
            releasePinsBelow(last.revision());
            seal.write(last);
            sealedRevision = last.revision();
        }
    }

    /** How many chunks the file holds (MVStore keeps a metadata record per chunk); for tests and benchmarks. */
    public int chunkCount() {
        return (int) mv.getLayoutMap().keySet().stream().filter(k -> k.startsWith("chunk.")).count();
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
                releasePinsBelow(Long.MAX_VALUE); // MVStore expects no version in use when it closes
                seal.write(written);
                seal.force();
            } finally {
                seal.close();
                mv.close();
            }
        }
    }
}
