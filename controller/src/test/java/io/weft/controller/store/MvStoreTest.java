package io.weft.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.model.EndpointId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MvStoreTest extends StoreContract {

    @TempDir
    Path dir;

    @Override
    protected Store newStore() {
        return MvStore.open(dir);
    }

    @Test
    void reopening_gives_back_every_record_and_the_revision() throws Exception {
        store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1")),
                new Mutation.PutHost(host("h2", "192.168.1.2")),
                new Mutation.PutNetwork(network("red", 7)),
                new Mutation.PutEndpoint(endpoint("red", "c1", "h1", "10.0.0.2")),
                new Mutation.PutEndpoint(endpoint("red", "c2", "h2", "10.0.0.3"))));
        StoreState last = store.commit(1, List.of(new Mutation.DeleteHost("h2"),
                new Mutation.DeleteEndpoint(new EndpointId("red", "c2"))));
        store.close();

        store = MvStore.open(dir);
        assertThat(store.current()).isEqualTo(last);
        assertThat(store.current().revision()).isEqualTo(2);
        assertThat(store.current().endpoints().values()).containsExactly(endpoint("red", "c1", "h1", "10.0.0.2"));
    }

    /** A child JVM commits, says so, and is SIGKILLed without closing the store: every acknowledged commit is there. */
    @ParameterizedTest(name = "fsync={0}")
    @ValueSource(booleans = {true, false})
    void commits_survive_sigkill(boolean fsync) throws Exception {
        store.close();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CommitThenHang.class.getName(), dir.toString(), "30",
                Boolean.toString(fsync))
                .redirectErrorStream(true).start();
        int acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    acknowledged = Integer.parseInt(line.substring("committed ".length()));
                    if (acknowledged == 30) {
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no MVStore close
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(acknowledged).isEqualTo(30);

        store = MvStore.open(dir);
        assertThat(store.current().revision()).isEqualTo(30);
        assertThat(store.current().hosts()).hasSize(30).containsKeys("h1", "h30");
    }

    @Test
    void compaction_keeps_every_record() throws Exception {
        store.close();
        store = MvStore.open(dir, false); // a thousand fsyncs would only slow the test down
        long rev = 0;
        for (int i = 0; i < MvStore.COMPACT_EVERY + 50; i++) {
            String name = "h" + (i % 40);
            rev = store.commit(rev, List.of(i % 80 < 40 ? new Mutation.PutHost(host(name, "192.168.3." + (i % 40 + 1)))
                    : new Mutation.DeleteHost(name))).revision();
        }
        StoreState last = store.current();
        store.close();
        store = MvStore.open(dir);
        assertThat(store.current()).isEqualTo(last);
    }

    /**
     * A superseded chunk's space is reused once the fsync after it returns, not after a retention time: with a time
     * (5 s before) a store committing a thousand times a second kept thousands of nearly empty chunks, and every
     * commit rewrote part of their metadata.
     */
    @Test
    void the_file_keeps_a_few_chunks_however_many_commits() throws Exception {
        long rev = 0;
        for (int i = 0; i < 1_000; i++) {
            rev = store.commit(rev, List.of(i % 2 == 0 ? new Mutation.PutHost(host("h1", "192.168.4." + (i % 200 + 1)))
                    : new Mutation.DeleteHost("h1"))).revision();
        }
        assertThat(((MvStore) store).chunkCount()).isLessThan(50);
    }

    /**
     * The power fails during an fsync while further commits are written behind it (concurrent writers share the next
     * fsync). Every file that can leave (the durable bytes with any of the writes since, here each alone and all)
     * opens at the last acknowledged commit or later: no chunk that commit needs was overwritten before the fsync
     * that made its successor durable.
     */
    @Test
    void a_power_cut_during_an_fsync_keeps_every_acknowledged_commit(@TempDir Path cut) throws Exception {
        store.close();
        store = MvStore.open(dir, true, PowerCutFilePath.prefix());
        long rev = 0;
        for (int i = 0; i < 200; i++) { // enough for chunks to die and their space to be reused
            rev = store.commit(rev, List.of(new Mutation.PutHost(host("h" + i % 10, "192.168.5." + (i + 1) % 250))))
                    .revision();
        }
        long acknowledged = rev;
        PowerCutFilePath.Disk disk = PowerCutFilePath.disk(dir.resolve(MvStore.FILE_NAME));
        disk.holdFsyncs();
        ExecutorService writers = Executors.newCachedThreadPool();
        List<Future<StoreState>> pending = new ArrayList<>();
        List<byte[]> images;
        byte[] seal;
        try {
            for (int i = 0; i < 12; i++) { // more than MVStore's own 5 versions kept
                String ip = "192.168.6." + (i + 1);
                String name = "h" + i % 10;
                pending.add(writers.submit(() -> store.update(s -> List.of(new Mutation.PutHost(host(name, ip))))));
                long written = acknowledged + i + 1; // in the file, not yet durable: the first fsync is held
                await().atMost(Duration.ofSeconds(10)).until(() -> store.current().revision() == written);
            }
            assertThat(disk.awaitHeldFsync(10)).isTrue();
            images = disk.powerCutImages();
            seal = Files.readAllBytes(dir.resolve(SealFile.FILE_NAME)); // written after each fsync, not synced
        } finally {
            disk.releaseFsyncs();
            for (Future<StoreState> f : pending) {
                f.get(10, TimeUnit.SECONDS);
            }
            writers.shutdown();
        }

        for (int i = 0; i < images.size(); i++) {
            Path image = cut.resolve("image-" + i);
            PowerCutFilePath.writeStore(image, images.get(i), seal);
            try (Store after = MvStore.open(image)) {
                assertThat(after.current().revision()).as("image %d of %d", i, images.size())
                        .isGreaterThanOrEqualTo(acknowledged);
                assertThat(after.current().hosts()).hasSize(10);
            }
        }
    }

    /** A child JVM churns (space being reused all the time) and is SIGKILLed mid-way: nothing acknowledged is lost. */
    @Test
    void a_sigkill_during_a_churn_keeps_every_acknowledged_commit() throws Exception {
        store.close();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Churn.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        long acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < 1_500 && (line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    acknowledged = Long.parseLong(line.substring("committed ".length()));
                }
            }
        } finally {
            child.destroyForcibly(); // while it is still committing
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(acknowledged).isGreaterThanOrEqualTo(1_500);

        store = MvStore.open(dir);
        assertThat(store.current().revision()).isGreaterThanOrEqualTo(acknowledged);
    }

    @Test
    void closing_twice_is_harmless() throws Exception {
        store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1"))));
        store.close();
        store.close(); // and once more after the test
    }

    /** Run in a child JVM by {@link #a_sigkill_during_a_churn_keeps_every_acknowledged_commit}: commits till killed. */
    public static final class Churn {
        public static void main(String[] args) throws Exception {
            Store s = MvStore.open(Path.of(args[0]), false); // the kernel keeps what a SIGKILLed process wrote
            for (long rev = 0; ; ) {
                String name = "h" + rev % 20;
                Mutation m = rev % 40 < 20 ? new Mutation.PutHost(host(name, "192.168.7." + (rev % 200 + 1)))
                        : new Mutation.DeleteHost(name);
                rev = s.commit(rev, List.of(m)).revision();
                System.out.println("committed " + rev);
            }
        }
    }

    /** Run in a child JVM by {@link #commits_survive_sigkill}. */
    public static final class CommitThenHang {
        public static void main(String[] args) throws Exception {
            Store s = MvStore.open(Path.of(args[0]), Boolean.parseBoolean(args[2]));
            int n = Integer.parseInt(args[1]);
            for (int i = 1; i <= n; i++) {
                s.commit(i - 1, List.of(new Mutation.PutHost(host("h" + i, "192.168.2." + i))));
                System.out.println("committed " + i);
                System.out.flush();
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
