package io.weft.controller.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The checksum of a store's content: the sum of a 64-bit hash of every record (map, key and value), plus one of the
 * revision. A sum does not depend on order, so a commit updates it in O(1) per mutation (add the new record's hash,
 * subtract the one it replaced) and a load recomputes it in one pass; one altered byte in any record, key or the
 * revision changes it.
 */
final class StoreDigest {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private StoreDigest() {
    }

    /** The hash of one record: the first 8 bytes of SHA-256 over its map, key and value. */
    static long record(String map, String key, String value) {
        MessageDigest sha = SHA256.get();
        sha.update((map + '\0' + key + '\0' + value).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /** The digest stored with {@code revision}: the content's, with the revision mixed in. */
    static long withRevision(long content, long revision) {
        return content + record("meta", "revision", Long.toString(revision));
    }
}
