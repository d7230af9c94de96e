package io.weft.controller.store;

import static io.weft.controller.store.StoreContract.endpoint;
import static io.weft.controller.store.StoreContract.host;
import static io.weft.controller.store.StoreContract.network;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.model.EndpointId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The corrupted-store matrix: every way the files can be damaged is refused with a message that says what is wrong
 * and what to do, and the refused open writes nothing; the cases that are not damage open as they should.
 */
class DamagedStoreTest {

    private static final String DATA = MvStore.FILE_NAME;
    private static final String SEAL = SealFile.FILE_NAME;

    @TempDir
    Path dir;

    /** The state the fixture committed last. */
    private StoreState committed;

    /** Three hosts, a network and 12 endpoints, two of them removed again: 18 commits, each in its own chunk. */
    @BeforeEach
    void commitAState() throws Exception {
        try (MvStore store = MvStore.open(dir, false)) {
            long rev = store.commit(0, List.of(new Mutation.PutHost(host("h1", "192.168.1.1")),
                    new Mutation.PutHost(host("h2", "192.168.1.2")), new Mutation.PutHost(host("h3", "192.168.1.3")),
                    new Mutation.PutNetwork(network("red", 7)))).revision();
            for (int i = 1; i <= 15; i++) {
                rev = store.commit(rev, List.of(new Mutation.PutEndpoint(
                        endpoint("red", "c" + i, "h" + (1 + i % 3), "10.0.0." + (10 + i))))).revision();
            }
            rev = store.commit(rev, List.of(new Mutation.DeleteEndpoint(new EndpointId("red", "c3")))).revision();
            store.commit(rev, List.of(new Mutation.DeleteEndpoint(new EndpointId("red", "c5"))));
            committed = store.current();
        }
        assertThat(committed.revision()).isEqualTo(18);
        assertThat(committed.endpoints()).hasSize(13);
    }

    /**
     * A truncated data file is refused, or opens with exactly the last commit where the cut only took space that no
     * commit needs any more (MVStore reuses superseded chunks' space, so the newest chunk need not be the last one).
     */
    @ParameterizedTest(name = "truncated to {0} of its length")
    @ValueSource(doubles = {0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99})
    void aTruncatedDataFileIsRefusedOrKeepsTheLastCommit(double fraction) throws IOException {
        byte[] data = Files.readAllBytes(dir.resolve(DATA));
        Files.write(dir.resolve(DATA), Arrays.copyOf(data, (int) (data.length * fraction)));
        if (fraction == 0) {
            assertRefused("weft.mv.db is empty, but weft.seal records that revision 18 was committed");
        } else {
            assertRefusedOrLastCommit("(weft.mv.db holds revision \\d+, but weft.seal records that revision 18 was "
                    + "committed: the file lost its latest commits|weft.mv.db cannot be read)");
        }
    }

    @Test
    void aDataFileShortOfItsLastByteIsRefusedOrKeepsTheLastCommit() throws IOException {
        byte[] data = Files.readAllBytes(dir.resolve(DATA));
        Files.write(dir.resolve(DATA), Arrays.copyOf(data, data.length - 1));
        assertRefusedOrLastCommit("(lost its latest commits|cannot be read)");
    }

    @Test
    void anAlteredRecordValueIsRefused() throws IOException {
        // Every copy of host h2's record (older chunks may hold stale ones): its tunnel IP .2 becomes .9.
        assertThat(patchEverywhere("\"tunnelIp\":\"192.168.1.2\"", "\"tunnelIp\":\"192.168.1.9\"")).isPositive();
        assertRefused("weft.mv.db fails its checksum at revision 18: its content was altered");
    }

    @Test
    void anAlteredRecordKeyIsRefused() throws IOException {
        // The case: a patched byte loaded endpoints under names nobody gave them.
        assertThat(patchEverywhere("\"name\":\"c7\"", "\"name\":\"c~\"")).isPositive();
        assertRefused("weft.mv.db fails its checksum at revision 18: its content was altered");
    }

    /**
     * One flipped byte at offsets spread over the whole file: refused, or (where the byte is padding or in a superseded
     * chunk) loaded as exactly the committed state. Never another state.
     */
    @Test
    void aFlippedByteAnywhereIsRefusedOrHarmless() throws IOException {
        byte[] data = Files.readAllBytes(dir.resolve(DATA));
        List<Integer> offsets = new ArrayList<>(IntStream.range(0, 160).map(i -> (int) ((long) i * data.length / 160))
                .boxed().toList());
        IntStream.range(1, 40).forEach(i -> offsets.add(data.length - i * 37)); // the last chunks, densely
        List<String> refusals = new ArrayList<>();
        for (int offset : offsets) {
            byte[] flipped = data.clone();
            flipped[offset] ^= 0x5a;
            // A new file each time: H2 keeps its in-process lock on a file it failed to open.
            Files.delete(dir.resolve(DATA));
            Files.write(dir.resolve(DATA), flipped);
            Map<String, byte[]> before = files();
            try (MvStore store = MvStore.open(dir, false)) {
                assertThat(store.current()).as("loaded with byte %d flipped", offset).isEqualTo(committed);
            } catch (DamagedStoreException e) {
                assertThat(e.getMessage()).as("refusal with byte %d flipped", offset)
                        .startsWith("the store in " + dir + " is damaged: ").contains("Restore weft.mv.db");
                assertUnchanged(before);
                refusals.add(e.problem());
            }
        }
        // Most flips land in padding or superseded chunks; those in live data are caught by each of the checks.
        assertThat(refusals).anyMatch(p -> p.contains("fails its checksum"))
                .anyMatch(p -> p.contains("lost its latest commits")).anyMatch(p -> p.contains("cannot be read"));
    }

    @Test
    void aMissingDataFileIsRefusedWhenTheSealRecordsCommits() throws IOException {
        Files.delete(dir.resolve(DATA));
        assertRefused("weft.mv.db is missing, but weft.seal records that revision 18 was committed");
    }

    @Test
    void aMissingSealIsRefusedWhenTheDataFileCarriesChecksums() throws IOException {
        Files.delete(dir.resolve(SEAL));
        assertRefused("weft.seal is missing, so whether weft.mv.db \\(at revision 18\\) lost its latest commits "
                + "cannot be told");
    }

    @Test
    void aSealWithNoValidSlotIsRefused() throws IOException {
        byte[] seal = Files.readAllBytes(dir.resolve(SEAL));
        seal[20] ^= 1;
        seal[4096 + 20] ^= 1;
        Files.write(dir.resolve(SEAL), seal);
        assertRefused("weft.seal holds no valid record \\(it was altered, or is not a Weft seal\\)");
    }

    @Test
    void anOlderCopyOfTheDataFileIsRefused(@TempDir Path backup) throws Exception {
        Files.copy(dir.resolve(DATA), backup.resolve(DATA));
        try (MvStore store = MvStore.open(dir, false)) {
            store.commit(18, List.of(new Mutation.DeleteHost("h3")));
        }
        Files.copy(backup.resolve(DATA), dir.resolve(DATA), StandardCopyOption.REPLACE_EXISTING);
        assertRefused("weft.mv.db holds revision 18, but weft.seal records that revision 19 was committed");
    }

    @Test
    void anotherStoresFileAtTheSameRevisionIsRefused(@TempDir Path other) throws Exception {
        try (MvStore store = MvStore.open(other, false)) {
            long rev = 0;
            while (rev < committed.revision()) {
                rev = store.commit(rev, List.of(new Mutation.PutHost(host("x" + rev, "192.168.9." + (rev + 1)))))
                        .revision();
            }
        }
        Files.copy(other.resolve(DATA), dir.resolve(DATA), StandardCopyOption.REPLACE_EXISTING);
        assertRefused("weft.mv.db at revision 18 does not hold what was committed at that revision");
    }

    /** A SIGKILL (or power loss) between a commit and its seal leaves the seal behind the data: not damage. */
    @Test
    void aSealBehindTheDataFileIsAccepted() throws Exception {
        byte[] sealAt18 = Files.readAllBytes(dir.resolve(SEAL));
        StoreState last;
        try (MvStore store = MvStore.open(dir, false)) {
            last = store.commit(18, List.of(new Mutation.DeleteHost("h3")));
            last = store.commit(19, List.of(new Mutation.DeleteEndpoint(new EndpointId("red", "c1"))));
        }
        Files.write(dir.resolve(SEAL), sealAt18);
        try (MvStore store = MvStore.open(dir, false)) {
            assertThat(store.current()).isEqualTo(last);
        }
        assertThat(SealFile.read(dir.resolve(SEAL))).get().extracting(SealFile.Seal::revision).isEqualTo(20L);
    }

    /** A crash tearing the write of the newest slot leaves the slot before it. */
    @Test
    void aTornSealSlotFallsBackToTheOtherOne() throws IOException {
        byte[] seal = Files.readAllBytes(dir.resolve(SEAL));
        seal[0] ^= 1; // revision 18 is in the even slot, at offset 0
        Files.write(dir.resolve(SEAL), seal);
        assertThat(SealFile.read(dir.resolve(SEAL))).get().extracting(SealFile.Seal::revision).isEqualTo(17L);
        try (MvStore store = MvStore.open(dir, false)) {
            assertThat(store.current()).isEqualTo(committed);
        }
    }

    @Test
    void aNewDirectoryStartsEmptyWithFilesOnlyItsOwnerReads(@TempDir Path parent) throws IOException {
        Path fresh = parent.resolve("data");
        try (MvStore store = MvStore.open(fresh, false)) {
            assertThat(store.current()).isEqualTo(StoreState.EMPTY);
        }
        assertThat(mode(fresh)).isEqualTo("rwx------");
        assertThat(mode(fresh.resolve(DATA))).isEqualTo("rw-------");
        assertThat(mode(fresh.resolve(SEAL))).isEqualTo("rw-------");
        try (Stream<Path> entries = Files.list(fresh)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(DATA, SEAL);
        }
    }

    /** An empty data file and no seal: a first start that crashed before anything was committed. */
    @Test
    void anEmptyDataFileWithoutSealStartsEmpty(@TempDir Path fresh) throws IOException {
        Files.createFile(fresh.resolve(DATA));
        try (MvStore store = MvStore.open(fresh, false)) {
            assertThat(store.current()).isEqualTo(StoreState.EMPTY);
        }
    }

    /** A store written before seals and checksums: opened once without a check, then sealed and narrowed to 0600. */
    @Test
    void aStoreFromBeforeSealsIsAcceptedAndSealed(@TempDir Path old) throws Exception {
        MVStore mv = new MVStore.Builder().fileName(old.resolve(DATA).toString()).autoCommitDisabled().open();
        MVMap<String, String> hosts = mv.openMap("hosts");
        hosts.put("h1", Codec.encode(host("h1", "192.168.1.1")));
        mv.<String, Long>openMap("meta").put("revision", 4L);
        mv.commit();
        mv.close();
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(old.resolve(DATA), PosixFilePermissions.fromString("rw-r--r--"));

        try (MvStore store = MvStore.open(old, false)) {
            assertThat(store.current().revision()).isEqualTo(4);
            assertThat(store.current().hosts()).containsOnlyKeys("h1");
        }
        assertThat(SealFile.read(old.resolve(SEAL))).get().extracting(SealFile.Seal::revision).isEqualTo(4L);
        assertThat(mode(old.resolve(DATA))).isEqualTo("rw-------");
        assertThat(mode(old)).isEqualTo("rwxr-x---");
        try (MvStore store = MvStore.open(old, false)) {
            store.commit(4, List.of(new Mutation.DeleteHost("h1")));
        }
        Files.delete(old.resolve(SEAL));
        assertThatThrownBy(() -> MvStore.open(old, false)).isInstanceOf(DamagedStoreException.class)
                .hasMessageContaining("weft.seal is missing");
    }

    @Test
    void aDamagedStoreSetAsideStartsEmptyAndKeepsTheFiles() throws IOException {
        Files.delete(dir.resolve(DATA));
        assertThatThrownBy(() -> MvStore.open(dir, false)).isInstanceOf(DamagedStoreException.class);
        List<Path> kept = MvStore.setAsideDamaged(dir);
        assertThat(kept).singleElement().satisfies(p -> assertThat(p.getFileName().toString())
                .startsWith("weft.seal.damaged-"));
        try (MvStore store = MvStore.open(dir, false)) {
            assertThat(store.current()).isEqualTo(StoreState.EMPTY);
        }
        assertThat(kept.get(0)).exists();
    }

    @Test
    void aStoreInUseByAnotherProcessIsNotCalledDamaged(@TempDir Path shared) throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MvStoreTest.CommitThenHang.class.getName(),
                shared.toString(), "1", "false").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.lines().filter(l -> l.startsWith("committed ")).findFirst()).contains("committed 1");
            assertThatThrownBy(() -> MvStore.open(shared, false)).isExactlyInstanceOf(StoreOpenException.class)
                    .hasMessageContaining("is in use by another process");
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    /** Opening refuses with a message that says what is wrong ({@code problem}, a regex) and what to do. */
    private void assertRefused(String problem) throws IOException {
        Map<String, byte[]> before = files();
        assertThatThrownBy(() -> MvStore.open(dir, false))
                .isInstanceOfSatisfying(DamagedStoreException.class, e -> {
                    assertThat(e.problem()).containsPattern(problem);
                    assertThat(e.getMessage()).isEqualTo("the store in " + dir + " is damaged: " + e.problem()
                            + ". Weft does not start on it (it would remove the missing containers from the hosts); "
                            + "its files were not changed. Restore weft.mv.db and weft.seal together from a backup of "
                            + dir + ".");
                });
        assertUnchanged(before);
    }

    /** Opening either refuses as {@link #assertRefused} says or gives exactly the last committed state. */
    private void assertRefusedOrLastCommit(String problem) throws IOException {
        Map<String, byte[]> before = files();
        try (MvStore store = MvStore.open(dir, false)) {
            assertThat(store.current()).isEqualTo(committed);
        } catch (DamagedStoreException e) {
            assertThat(e.problem()).containsPattern(problem);
            assertUnchanged(before);
        }
    }

    private void assertUnchanged(Map<String, byte[]> before) throws IOException {
        Map<String, byte[]> after = files();
        assertThat(after.keySet()).as("files in the data directory").isEqualTo(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as("bytes of %s", name).isEqualTo(bytes));
    }

    /** Every file of the data directory, by name, with its bytes. */
    private Map<String, byte[]> files() throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    /** Replaces every occurrence of {@code from} in the data file by {@code to} (same length); returns how many. */
    private int patchEverywhere(String from, String to) throws IOException {
        byte[] data = Files.readAllBytes(dir.resolve(DATA));
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        for (int i = 0; i + f.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, data, i, t.length);
                n++;
            }
        }
        Files.write(dir.resolve(DATA), data);
        return n;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

}
