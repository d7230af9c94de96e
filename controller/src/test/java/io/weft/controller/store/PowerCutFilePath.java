package io.weft.controller.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * Fault injection for a power cut: an H2 file system ({@value #SCHEME}) that passes everything to the disk and also
 * remembers what an fsync has made durable. {@link Disk#powerCutImages} gives files a power cut could leave: the
 * durable bytes with any subset of the writes since the last fsync (a disk persists them in any order); here each
 * such write alone, and all of them, appended data lost. An fsync can be held ({@link Disk#holdFsyncs}) to cut the
 * power during one.
 */
public final class PowerCutFilePath extends FilePathWrapper {

    static final String SCHEME = "powercut";
    private static final Map<String, Disk> DISKS = new ConcurrentHashMap<>();

    static {
        FilePath.register(new PowerCutFilePath());
    }

    /** The prefix to put before a file name; registers the file system on first use. */
    static String prefix() {
        return SCHEME + ":";
    }

    /** What the file {@code path} (opened through this file system) holds and has made durable. */
    static Disk disk(Path path) {
        return DISKS.computeIfAbsent(path.toString(), p -> new Disk());
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel base = getBase().open(mode);
        Disk disk = disk(Path.of(getBase().toString()));
        disk.opened(base);
        return new Channel(base, disk);
    }

    /** The durable content of one file and the writes since its last fsync. */
    static final class Disk {
        private byte[] durable = new byte[0];
        private final List<Write> pending = new ArrayList<>();
        private volatile CountDownLatch release; // while set, fsyncs wait for it
        private final Semaphore fsyncsWaiting = new Semaphore(0);

        private record Write(long position, byte[] bytes) {
        }

        synchronized void opened(FileChannel base) throws IOException {
            // what was there before was made durable by whoever wrote it (a closed store fsyncs)
            durable = read(base);
            pending.clear();
        }

        synchronized void written(long position, ByteBuffer src) {
            byte[] bytes = new byte[src.remaining()];
            src.duplicate().get(bytes);
            pending.add(new Write(position, bytes));
        }

        synchronized void truncated(long size) {
            durable = Arrays.copyOf(durable, (int) Math.min(durable.length, size));
        }

        void fsync(FileChannel base) throws IOException {
            CountDownLatch r = release;
            if (r != null) {
                fsyncsWaiting.release();
                try {
                    if (!r.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("fsync held for 30 s");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            synchronized (this) {
                base.force(true);
                durable = read(base);
                pending.clear();
            }
        }

        /** From now on each fsync waits until {@link #releaseFsyncs}. */
        void holdFsyncs() {
            release = new CountDownLatch(1);
        }

        /** Waits until an fsync is being held. */
        boolean awaitHeldFsync(long seconds) throws InterruptedException {
            return fsyncsWaiting.tryAcquire(seconds, TimeUnit.SECONDS);
        }

        void releaseFsyncs() {
            CountDownLatch r = release;
            release = null;
            if (r != null) {
                r.countDown();
            }
        }

        /**
         * Files a power cut now could leave: the durable bytes overwritten by each write since the last fsync alone,
         * then by all of them; what was written beyond the durable end is lost.
         */
        synchronized List<byte[]> powerCutImages() {
            List<byte[]> images = new ArrayList<>();
            byte[] all = durable.clone();
            for (Write w : pending) {
                byte[] one = durable.clone();
                overwrite(one, w);
                images.add(one);
                overwrite(all, w);
            }
            images.add(all);
            return images;
        }

        private static void overwrite(byte[] image, Write w) {
            if (w.position() < image.length) {
                int inside = (int) Math.min(w.bytes().length, image.length - w.position());
                System.arraycopy(w.bytes(), 0, image, (int) w.position(), inside);
            }
        }

        private static byte[] read(FileChannel base) throws IOException {
            ByteBuffer all = ByteBuffer.allocate((int) base.size());
            while (all.hasRemaining() && base.read(all, all.position()) >= 0) {
                // read until full
            }
            return all.array();
        }
    }

    /** Passes every call to the real file, telling its {@link Disk} about writes, truncations and fsyncs. */
    private static final class Channel extends FileBase {
        private final FileChannel base;
        private final Disk disk;

        Channel(FileChannel base, Disk disk) {
            this.base = base;
            this.disk = disk;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            disk.written(position, src);
            return base.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            disk.written(base.position(), src);
            return base.write(src);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            disk.truncated(size);
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            disk.fsync(base);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }

    /** Writes a data directory with {@code image} as its store file and {@code seal} as its seal. */
    static void writeStore(Path to, byte[] image, byte[] seal) throws IOException {
        Files.createDirectories(to);
        Files.write(to.resolve(MvStore.FILE_NAME), image);
        Files.write(to.resolve(SealFile.FILE_NAME), seal);
    }
}
