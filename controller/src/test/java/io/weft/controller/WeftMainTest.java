package io.weft.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.weft.controller.store.Mutation;
import io.weft.controller.store.MvStore;
import io.weft.model.Host;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WeftMainTest {

    @TempDir
    Path dir;

    /** A damaged store stops {@code weft controller} before anything starts: exit status 3 and one message. */
    @Test
    void aDamagedStoreIsRefusedWithAMessageAndExitStatus3() throws Exception {
        Path data = dir.resolve("data");
        try (MvStore store = MvStore.open(data, false)) {
            long rev = 0;
            for (int i = 1; i <= 20; i++) {
                rev = store.commit(rev, List.of(new Mutation.PutHost(Host.of("h" + i, "192.168.1." + i))))
                        .revision();
            }
        }
        Path file = data.resolve(MvStore.FILE_NAME);
        // Only the file header stays: every chunk is gone (a cut through the middle may take only reused space).
        byte[] truncated = Arrays.copyOf(Files.readAllBytes(file), 8192);
        Files.write(file, truncated);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Before the fix the controller started on the old state and ran until stopped: the timeout fails that.
        int status = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> new CommandLine(new WeftMain())
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("controller", "--data-dir", data.toString(), "--rest-listen", "127.0.0.1:0",
                        "--openflow-listen", "unix:" + dir.resolve("of.sock")));

        assertThat(status).isEqualTo(3);
        assertThat(err.toString()).startsWith("weft: the store in " + data + " is damaged: ")
                .contains("Restore weft.mv.db and weft.seal together from a backup")
                .contains("run with --discard-damaged-state").doesNotContain("\tat ");
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(out.toString()).isEmpty();
        assertThat(Files.readAllBytes(file)).isEqualTo(truncated);
    }

    /** {@code --exit-when-started} starts everything, stops, and says 0: the start is checked, nothing keeps running. */
    @Test
    void exitWhenStartedStartsEverythingAndStops() {
        Path data = dir.resolve("data");
        StringWriter err = new StringWriter();
        int status = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> new CommandLine(new WeftMain())
                .setErr(new PrintWriter(err, true))
                .execute("controller", "--data-dir", data.toString(), "--rest-listen", "127.0.0.1:0",
                        "--openflow-listen", "unix:" + dir.resolve("of.sock"), "--exit-when-started"));

        assertThat(status).as(err::toString).isZero();
        assertThat(data.resolve(MvStore.FILE_NAME)).exists();
        try (MvStore again = MvStore.open(data, false)) {
            assertThat(again.current().revision()).as("the store was closed, so it opens again").isZero();
        }
    }

    /** The embedded store's discard option has nothing to discard in etcd: refused as a usage error, nothing starts. */
    @Test
    void discardingDamagedStateIsRefusedWithTheEtcdStore() {
        StringWriter err = new StringWriter();
        int status = new CommandLine(new WeftMain()).setErr(new PrintWriter(err, true))
                .execute("controller", "--store", "etcd://127.0.0.1:1", "--discard-damaged-state",
                        "--rest-listen", "127.0.0.1:0", "--openflow-listen", "unix:" + dir.resolve("of.sock"));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--discard-damaged-state applies to the embedded store only");
    }
}
