package io.weft.controller.store;

import io.weft.controller.store.SealFile.Seal;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * Reads a store's files without writing anything and decides whether they hold the last committed state (the rules
 * are in this package's description). Only a store that passes is opened for writing.
 */
final class StoreVerifier {

    /** What a store's files hold, checked; {@code seal} is empty for a new store or one written before seals. */
    record Verified(StoreState state, long contentDigest, Optional<Seal> seal) {

        /** The seal of this state. */
        Seal asSeal() {
            return new Seal(state.revision(), StoreDigest.withRevision(contentDigest, state.revision()));
        }
    }

    /**
     * The data file's records as read, not yet decoded: the checksum is compared first, so that an altered record is
     * reported as such rather than as whatever decoding makes of it. {@code storedDigest} is null in old files.
     */
    private record Records(long revision, Long storedDigest, long contentDigest, Map<String, String> hosts,
                           Map<String, String> networks, Map<String, String> endpoints) {
    }

    private StoreVerifier() {
    }

    /**
     * @throws DamagedStoreException if the files do not hold the last committed state
     * @throws StoreOpenException    if another process has the store open
     */
    static Verified verify(StoreFiles files) {
        Path dir = files.dir();
        Optional<Seal> seal = SealFile.read(files.seal());
        long size = sizeOf(files.data());
        if (size <= 0) {
            if (seal.isPresent() && seal.get().revision() > 0) {
                throw new DamagedStoreException(dir, MvStore.FILE_NAME + (size < 0 ? " is missing" : " is empty")
                        + ", but " + SealFile.FILE_NAME + " records that revision " + seal.get().revision()
                        + " was committed");
            }
            return new Verified(StoreState.EMPTY, 0, seal); // a new store
        }
        Records r = readOnly(files);
        long revision = r.revision();
        long digest = StoreDigest.withRevision(r.contentDigest(), revision);
        if (r.storedDigest() != null && r.storedDigest() != digest) {
            throw new DamagedStoreException(dir, MvStore.FILE_NAME + " fails its checksum at revision " + revision
                    + ": its content was altered");
        }
        if (seal.isEmpty()) {
            if (r.storedDigest() != null) {
                throw new DamagedStoreException(dir, SealFile.FILE_NAME + " is missing, so whether "
                        + MvStore.FILE_NAME + " (at revision " + revision + ") lost its latest commits cannot be told");
            }
            // Written by a Weft without seals (an upgrade): nothing to compare with; the caller seals it now.
        } else if (revision < seal.get().revision()) {
            throw new DamagedStoreException(dir, MvStore.FILE_NAME + " holds revision " + revision + ", but "
                    + SealFile.FILE_NAME + " records that revision " + seal.get().revision() + " was committed: the "
                    + "file lost its latest commits (truncated, or replaced by an older copy)");
        } else if (revision == seal.get().revision() && digest != seal.get().digest()) {
            throw new DamagedStoreException(dir, MvStore.FILE_NAME + " at revision " + revision + " does not hold "
                    + "what was committed at that revision (" + SealFile.FILE_NAME + " has another checksum): it was "
                    + "altered or replaced");
        } else if (revision > seal.get().revision() && r.storedDigest() == null) {
            throw new DamagedStoreException(dir, MvStore.FILE_NAME + " at revision " + revision + " has no checksum, "
                    + "although " + SealFile.FILE_NAME + " shows it was written by a Weft that keeps one");
        }
        try {
            return new Verified(decode(r), r.contentDigest(), seal);
        } catch (RuntimeException e) {
            throw unreadable(dir, e);
        }
    }

    /** The file's size, -1 if it does not exist. */
    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Records readOnly(StoreFiles files) {
        MVStore mv;
        try {
            mv = MvStore.dataFile(files.data().toString()).readOnly().open();
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw inUse(files.data());
            }
            throw unreadable(files.dir(), e);
        } catch (RuntimeException | AssertionError e) { // H2 asserts on its file structure when run with -ea
            throw unreadable(files.dir(), e);
        }
        try {
            long[] digest = new long[1];
            Map<String, String> hosts = records(mv, MvStore.HOSTS, digest);
            Map<String, String> networks = records(mv, MvStore.NETWORKS, digest);
            Map<String, String> endpoints = records(mv, MvStore.ENDPOINTS, digest);
            Long revision = null;
            Long stored = null;
            if (mv.hasMap(MvStore.META)) {
                MVMap<String, Long> meta = mv.openMap(MvStore.META);
                revision = meta.get(MvStore.REVISION);
                stored = meta.get(MvStore.DIGEST);
            }
            return new Records(revision == null ? 0 : revision, stored, digest[0], hosts, networks, endpoints);
        } catch (RuntimeException | AssertionError e) {
            throw unreadable(files.dir(), e);
        } finally {
            mv.closeImmediately();
        }
    }

    static StoreOpenException inUse(Path data) {
        return new StoreOpenException(data + " is in use by another process (is another Weft controller running "
                + "with this data directory?)");
    }

    private static DamagedStoreException unreadable(Path dir, Throwable e) {
        return new DamagedStoreException(dir, MvStore.FILE_NAME + " cannot be read (" + e.getMessage() + ")");
    }

    private static Map<String, String> records(MVStore mv, String map, long[] digest) {
        Map<String, String> out = new TreeMap<>();
        if (mv.hasMap(map)) {
            MVMap<String, String> m = mv.openMap(map);
            for (Map.Entry<String, String> r : m.entrySet()) {
                digest[0] += StoreDigest.record(map, r.getKey(), r.getValue());
                out.put(r.getKey(), r.getValue());
            }
        }
        return out;
    }

    private static StoreState decode(Records r) {
        TreeMap<EndpointId, Endpoint> endpoints = new TreeMap<>();
        decode(MvStore.ENDPOINTS, r.endpoints(), Codec::decodeEndpoint, x -> Codec.key(x.id()))
                .values().forEach(x -> endpoints.put(x.id(), x));
        return new StoreState(r.revision(), decode(MvStore.HOSTS, r.hosts(), Codec::decodeHost, Host::name),
                decode(MvStore.NETWORKS, r.networks(), Codec::decodeNetwork, Network::name), endpoints);
    }

    /** Decodes every record of a map, checking that each is stored under its own name. */
    private static <T> TreeMap<String, T> decode(String map, Map<String, String> records, Function<String, T> decoder,
                                                 Function<T, String> name) {
        TreeMap<String, T> out = new TreeMap<>();
        records.forEach((key, json) -> {
            T value = decoder.apply(json);
            if (!name.apply(value).equals(key)) {
                throw new IllegalStateException("record " + map + "/" + key + " is named " + name.apply(value));
            }
            out.put(key, value);
        });
        return out;
    }
}
