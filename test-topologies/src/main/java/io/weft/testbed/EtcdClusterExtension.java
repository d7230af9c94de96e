package io.weft.testbed;

import java.nio.file.Path;

/**
 * Starts an {@link EtcdCluster} under {@code java.io.tmpdir} for each test, or once for a class, and closes it
 * afterwards (members killed, their data removed), also when the test, the class or the start fails.
 * <pre>
 * &#64;RegisterExtension
 * static EtcdClusterExtension etcd = EtcdClusterExtension.perClass(3);
 * </pre>
 * The cluster is writable before the test's own {@code @BeforeEach} ({@code @BeforeAll} per class) and is closed
 * after its {@code @AfterEach} ({@code @AfterAll}), so clients made there close before their cluster. A missing
 * {@code etcd} binary fails the test: the README's test command installs it.
 */
public final class EtcdClusterExtension extends ScopedFixtureExtension<EtcdCluster> {

    private final int members;

    private EtcdClusterExtension(int members, boolean perClass) {
        super(perClass, () -> EtcdCluster.start(members, Path.of(System.getProperty("java.io.tmpdir"))),
                EtcdCluster::close);
        this.members = members;
    }

    /** A new cluster of {@code members} for every test: for tests that kill, pause or restart members. */
    public static EtcdClusterExtension perTest(int members) {
        return new EtcdClusterExtension(members, false);
    }

    /** One cluster of {@code members} for all tests of a class: register it on a static field. */
    public static EtcdClusterExtension perClass(int members) {
        return new EtcdClusterExtension(members, true);
    }

    /** The running cluster. */
    public EtcdCluster cluster() {
        return running();
    }

    @Override
    public String toString() {
        return "etcd cluster of " + members;
    }
}
