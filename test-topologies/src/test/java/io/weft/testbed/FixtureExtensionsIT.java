package io.weft.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The OVS and etcd extensions start their fixture for each test or once for a class, and remove it afterwards, also
 * when the test, or the test's own set-up, fails: no process, no namespace, no directory is left.
 */
class FixtureExtensionsIT {

    /** What one fixture consisted of while a test ran: its directory, processes and namespace (OVS only). */
    record Seen(Path dir, BedProcesses processes, String netnsName) {
    }

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

    static Seen of(OvsSandbox ovs) throws IOException {
        long ovsdb = pidIn(ovs.dir().resolve("ovsdb.pid"));
        long vswitchd = pidIn(ovs.dir().resolve("vswitchd.pid"));
        return new Seen(ovs.dir(), new BedProcesses(Set.of(ovsdb, vswitchd), Set.of(BedProcesses.netnsOf(ovsdb))),
                ovs.netns().orElseThrow());
    }

    static Seen of(EtcdCluster etcd) {
        Set<Long> members = Set.copyOf(etcd.members().stream().map(EtcdCluster.Member::pid).toList());
        return new Seen(etcd.dir(), new BedProcesses(members, Set.of()), null);
    }

    private static long pidIn(Path pidfile) throws IOException {
        return Long.parseLong(Files.readString(pidfile).strip());
    }

    /** Run only through EngineTestKit below (Failsafe skips nested classes). */
    static class FailingOvsTests {
        @RegisterExtension
        final OvsSandboxExtension sandbox = OvsSandboxExtension.perTest();

        @Test
        void seesARunningSandboxAndFails() throws IOException {
            SEEN.add(of(sandbox.ovs()));
            sandbox.ovs().addBridge("br-int");
            assertThat(sandbox.ovs().vsctl("list-br")).contains("br-int");
            throw new AssertionError("deliberate failure");
        }

        @Test
        void anotherTestGetsAnotherSandbox() throws IOException {
            SEEN.add(of(sandbox.ovs()));
            assertThat(sandbox.ovs().vsctl("list-br")).isBlank();
        }
    }

    static class FailingOvsSetUp {
        @RegisterExtension
        static OvsSandboxExtension sandbox = OvsSandboxExtension.perClass(OvsSandbox.Options.defaults());

        @BeforeEach
        void setUp() throws IOException {
            SEEN.add(of(sandbox.ovs()));
            throw new IllegalStateException("deliberate set-up failure");
        }

        @Test
        void neverRuns() {
        }
    }

    static class FailingEtcdTests {
        @RegisterExtension
        static EtcdClusterExtension etcd = EtcdClusterExtension.perClass(3);

        @Test
        void seesAWritableClusterAndFails() throws IOException {
            SEEN.add(of(etcd.cluster()));
            assertThat(etcd.cluster().etcdctl("put", "k", "v").ok()).isTrue();
            throw new AssertionError("deliberate failure");
        }
    }

    static class FailingEtcdSetUp {
        @RegisterExtension
        final EtcdClusterExtension etcd = EtcdClusterExtension.perTest(3);

        @BeforeEach
        void setUp() {
            SEEN.add(of(etcd.cluster()));
            throw new IllegalStateException("deliberate set-up failure");
        }

        @Test
        void neverRuns() {
        }
    }

    @Test
    void ovsSandboxesArePerTestAndGoneAfterAFailedTest() {
        SEEN.clear();
        Events tests = run(FailingOvsTests.class);
        tests.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0).dir()).isNotEqualTo(SEEN.get(1).dir());
        assertGone(SEEN);
    }

    @Test
    void aPerClassOvsSandboxIsGoneAfterTheTestsSetUpFailed() {
        SEEN.clear();
        Events tests = run(FailingOvsSetUp.class);
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(SEEN).hasSize(1);
        assertGone(SEEN);
        assertThat(catchThrowable(() -> FailingOvsSetUp.sandbox.ovs())).hasMessageContaining("is not running");
    }

    @Test
    void etcdClustersAreGoneAfterAFailedTestOrSetUp() {
        SEEN.clear();
        run(FailingEtcdTests.class).assertStatistics(stats -> stats.started(1).failed(1));
        run(FailingEtcdSetUp.class).assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(SEEN).hasSize(2);
        assertGone(SEEN);
        assertThat(catchThrowable(() -> FailingEtcdTests.etcd.cluster())).hasMessageContaining("is not running");
    }

    private static Events run(Class<?> tests) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(tests)).execute().testEvents();
    }

    private static void assertGone(List<Seen> fixtures) {
        for (Seen f : fixtures) {
            assertThat(Files.exists(f.dir())).as("directory %s", f.dir()).isFalse();
            assertThat(f.processes().alive()).as("processes of %s", f.dir()).isEmpty();
            assertThat(f.processes().processesInBedNamespaces()).as("processes in %s", f.netnsName()).isEmpty();
            if (f.netnsName() != null) {
                assertThat(Files.exists(Path.of("/var/run/netns", f.netnsName()))).as("namespace %s", f.netnsName())
                        .isFalse();
            }
        }
    }
}
