package io.weft.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.EndpointId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void closing_twice_is_harmless() throws Exception {
        store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1"))));
        store.close();
        store.close(); // and once more after the test
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
