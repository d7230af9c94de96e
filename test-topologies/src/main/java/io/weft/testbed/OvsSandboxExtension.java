package io.weft.testbed;

/**
 * Starts an {@link OvsSandbox} for each test, or once for a class, and closes it afterwards, also when the test, the
 * class or the start fails (a failed start closes what it made itself).
 * <pre>
 * &#64;RegisterExtension
 * final OvsSandboxExtension sandbox = OvsSandboxExtension.perTest();
 *
 * &#64;RegisterExtension
 * static OvsSandboxExtension sandbox = OvsSandboxExtension.perClass(Options.defaults().withoutVswitchd());
 * </pre>
 * The sandbox runs before the test's own {@code @BeforeEach} ({@code @BeforeAll} per class) and is closed after its
 * {@code @AfterEach} ({@code @AfterAll}), so those can use it. A missing prerequisite (not root, no OVS) fails the
 * test: the README's test command installs them.
 */
public final class OvsSandboxExtension extends ScopedFixtureExtension<OvsSandbox> {

    private final OvsSandbox.Options options;

    private OvsSandboxExtension(OvsSandbox.Options options, boolean perClass) {
        super(perClass, () -> OvsSandbox.start(options), OvsSandbox::close);
        this.options = options;
    }

    /** A fresh sandbox for every test, on the default options (both daemons in a namespace of their own). */
    public static OvsSandboxExtension perTest() {
        return perTest(OvsSandbox.Options.defaults());
    }

    public static OvsSandboxExtension perTest(OvsSandbox.Options options) {
        return new OvsSandboxExtension(options, false);
    }

    /** One sandbox for all tests of a class: register it on a static field. */
    public static OvsSandboxExtension perClass(OvsSandbox.Options options) {
        return new OvsSandboxExtension(options, true);
    }

    /** The running sandbox. */
    public OvsSandbox ovs() {
        return running();
    }

    @Override
    public String toString() {
        return "OVS sandbox (" + options.placement() + ")";
    }
}
