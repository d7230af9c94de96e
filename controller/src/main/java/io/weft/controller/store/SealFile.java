package io.weft.controller.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The store's side record ({@value #FILE_NAME}), kept apart from the data file: the last revision the store
 * committed and the digest of its content then. A data file that lost commits (truncated, replaced by an older copy,
 * deleted) no longer reaches that revision, which its own content cannot tell.
 *
 * <p>Two slots, each in its own 4 KiB block and checksummed, written alternately (revision parity): a write torn by a
 * crash damages only the slot being written, and the other still holds the revision before. A slot is written only
 * once its revision is in the data file (and, with fsync, on disk), so the seal never runs ahead of the data; it is
 * not fsynced per commit, so after a power loss it may lag, which weakens the check for that moment and never
 * refuses a good store. The file itself is created whole (temporary file, fsync, rename) before the first commit.
 */
final class SealFile implements AutoCloseable {

    static final String FILE_NAME = "weft.seal";

    /** A committed revision and the {@link StoreDigest} of the state at it. */
    record Seal(long revision, long digest) {
    }

    private static final long MAGIC = ByteBuffer.wrap("WEFTSEAL".getBytes(StandardCharsets.US_ASCII)).getLong();
    private static final int VERSION = 1;
    private static final int SLOT_BYTES = 8 + 4 + 8 + 8 + 4;
    private static final int SLOT_SPACING = 4096;

    private final FileChannel channel;

    private SealFile(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * The newest valid slot of {@code file}; empty if there is no such file.
     *
     * @throws DamagedStoreException if the file exists but holds no valid slot
     */
    static Optional<Seal> read(Path file) {
        ByteBuffer buf = ByteBuffer.allocate(SLOT_SPACING + SLOT_BYTES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read until full or end of file
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        buf.flip();
        Optional<Seal> first = slot(buf, 0);
        Optional<Seal> second = slot(buf, SLOT_SPACING);
        if (first.isEmpty() && second.isEmpty()) {
            throw new DamagedStoreException(file.getParent(), FILE_NAME + " holds no valid record (it was altered, "
                    + "or is not a Weft seal)");
        }
        return first.isEmpty() || second.isPresent() && second.get().revision() > first.get().revision()
                ? second : first;
    }

    private static Optional<Seal> slot(ByteBuffer file, int offset) {
        if (file.limit() < offset + SLOT_BYTES) {
            return Optional.empty();
        }
        ByteBuffer b = file.duplicate().position(offset).limit(offset + SLOT_BYTES).slice();
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().limit(SLOT_BYTES - 4));
        if (b.getLong() != MAGIC || b.getInt() != VERSION) {
            return Optional.empty();
        }
        Seal seal = new Seal(b.getLong(), b.getLong());
        return b.getInt() == (int) crc.getValue() ? Optional.of(seal) : Optional.empty();
    }

    private static ByteBuffer encode(Seal seal) {
        ByteBuffer b = ByteBuffer.allocate(SLOT_BYTES).putLong(MAGIC).putInt(VERSION).putLong(seal.revision())
                .putLong(seal.digest());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, SLOT_BYTES - 4);
        return b.putInt((int) crc.getValue()).flip();
    }

    /** Opens an existing seal for writing. */
    static SealFile open(Path file) {
        try {
            return new SealFile(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    /**
     * Creates the seal whole, both slots holding {@code seal}, with mode 0600: written to a temporary file, fsynced,
     * renamed over {@code file}, and the rename fsynced, so a crash leaves either no seal or a complete one.
     */
    static SealFile create(Path file, Seal seal) {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.deleteIfExists(tmp); // a crash's leftover would keep its mode
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), StoreFiles.OWNER_ONLY_FILE)) {
                ch.write(encode(seal), 0);
                ch.write(encode(seal), SLOT_SPACING);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            StoreFiles.syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
        return open(file);
    }

    /** Records {@code seal} in its slot; the caller orders writes so that revisions only grow. */
    void write(Seal seal) {
        try {
            ByteBuffer b = encode(seal);
            long at = (seal.revision() & 1) * SLOT_SPACING;
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the store's seal", e);
        }
    }

    /** Makes the last write survive power loss; called on close, not per commit. */
    void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the store's seal", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the store's seal", e);
        }
    }
}
