package io.weft.e2e;

import static io.weft.e2e.E2eSupport.assertFlowsUntouched;
import static io.weft.e2e.E2eSupport.assertReaches;
import static io.weft.e2e.E2eSupport.awaitInSync;
import static io.weft.e2e.E2eSupport.flowAges;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.northbound.rest.WeftClient;
import io.weft.testbed.BedHost;
import io.weft.testbed.TestBedExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10, item 2, on the real bed: a controller whose store was damaged while it was stopped refuses to start, says
 * why, and leaves every switch exactly as it was (same flows, none re-installed, same bridges and ports) while the
 * containers keep talking. Restoring the files from a backup, as the message says, brings it back unchanged.
 */
class DamagedStoreE2EIT {

    @RegisterExtension
    static final TestBedExtension BED = TestBedExtension.of("onelan,hosts=2,containers=1");

    static WeftProcess weft;
    static WeftClient api;

    @BeforeAll
    static void provision() throws Exception {
        WeftProcess.assumeEmbeddedStore();
        weft = new WeftProcess(Files.createTempDirectory("weft-e2e-")).start();
        api = weft.client();
        E2eSupport.provisionNet1(api, BED);
    }

    @AfterAll
    static void stop() throws Exception {
        if (weft != null) {
            weft.close();
        }
    }

    /** Ways an operator finds weft.mv.db after a bad disk, a bad copy or a bad clean-up. */
    enum Damage {
        // MVStore reuses superseded chunks' space, so a cut through the middle may take only space no commit needs
        // (the store then opens with every commit: controller's DamagedStoreTest); this cut takes every chunk.
        TRUNCATED_TO_ITS_HEADER("weft.mv.db (holds revision \\d+, but weft.seal records|cannot be read)") {
            @Override
            void apply(Path data) throws IOException {
                truncate(data, 8192);
            }
        },
        A_RECORD_ALTERED("weft.mv.db (fails its checksum|cannot be read)") {
            @Override
            void apply(Path data) throws IOException {
                byte[] bytes = Files.readAllBytes(data);
                String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("\"name\":\"c1\"",
                        "\"name\":\"c~\"");
                assertThat(text).contains("c~");
                Files.write(data, text.getBytes(StandardCharsets.ISO_8859_1));
            }
        },
        DELETED("weft.mv.db is missing, but weft.seal records that revision \\d+ was committed") {
            @Override
            void apply(Path data) throws IOException {
                Files.delete(data);
            }
        };

        final String problem;

        Damage(String problem) {
            this.problem = problem;
        }

        abstract void apply(Path data) throws IOException;

        static void truncate(Path data, int length) throws IOException {
            Files.write(data, Arrays.copyOf(Files.readAllBytes(data), length));
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedStoreIsRefusedAndTheSwitchesKeepEverything(Damage damage) throws Exception {
        long revision = api.revision();
        weft.stop();
        Map<String, byte[]> backup = files(weft.dataDir());
        Map<String, Map<String, Double>> flowsBefore = new TreeMap<>();
        Map<String, String> bridgesBefore = new TreeMap<>();
        for (BedHost h : BED.hosts()) {
            flowsBefore.put(h.name(), flowAges(h));
            bridgesBefore.put(h.name(), h.vsctl("show").orThrow().stdout());
        }
        assertThat(flowsBefore.values()).allSatisfy(f -> assertThat(f).hasSizeGreaterThan(5));

        try {
            damage.apply(weft.dataDir().resolve("weft.mv.db"));
            Map<String, byte[]> damaged = files(weft.dataDir());
            WeftProcess.Exit refused = weft.startExpectingExit(Duration.ofSeconds(30));

            assertThat(refused.status()).as("exit status; output: %s", refused.output()).isEqualTo(3);
            assertThat(refused.output()).containsPattern(Pattern.quote("weft: the store in " + weft.dataDir()
                            + " is damaged: ") + damage.problem)
                    .contains("Restore weft.mv.db and weft.seal together from a backup", "--discard-damaged-state")
                    .doesNotContain("\tat ", "Exception", "opened at revision");
            assertSameFiles(files(weft.dataDir()), damaged);
            for (BedHost h : BED.hosts()) {
                assertFlowsUntouched(h, flowsBefore.get(h.name()));
                assertThat(h.vsctl("show").orThrow().stdout()).as("ovs-vsctl show on %s", h.name())
                        .isEqualTo(bridgesBefore.get(h.name()));
            }
            assertReaches(BED.container("c1"), BED.container("c2"));
            assertReaches(BED.container("c2"), BED.container("c1"));
        } finally {
            // The operator restores the backup, as the message says (also when this case failed, for the next one).
            restore(weft.dataDir(), backup);
            weft.start();
        }
        assertThat(api.revision()).as("revision after the restore").isEqualTo(revision);
        awaitInSync(api, revision, BED.hosts());
        for (BedHost h : BED.hosts()) {
            assertFlowsUntouched(h, flowsBefore.get(h.name()));
        }
        assertReaches(BED.container("c1"), BED.container("c2"));
    }

    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void assertSameFiles(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).as("files in the data directory").isEqualTo(expected.keySet());
        expected.forEach((name, bytes) -> assertThat(actual.get(name)).as("bytes of %s", name).isEqualTo(bytes));
    }

    /** Puts the backed-up files back and removes any other (a refused controller writes none). */
    private static void restore(Path dir, Map<String, byte[]> backup) throws IOException {
        for (String name : files(dir).keySet()) {
            if (!backup.containsKey(name)) {
                Files.delete(dir.resolve(name));
            }
        }
        for (Map.Entry<String, byte[]> f : backup.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
    }
}
