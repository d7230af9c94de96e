package io.weft.testbed;

import java.util.List;

/**
 * Starts a test bed before all tests of a class and removes it after them, also when tests or the start fail.
 * <pre>
 * &#64;RegisterExtension
 * static TestBedExtension bed = TestBedExtension.of(TopologySpec.twosites());
 * </pre>
 * A missing prerequisite (not root, no OVS, no Mininet) fails the class: the README's test command installs them.
 */
public final class TestBedExtension extends ScopedFixtureExtension<TestBed> {

    private final TopologySpec spec;

    private TestBedExtension(TopologySpec spec) {
        super(true, () -> TestBed.start(spec), TestBed::close);
        this.spec = spec;
    }

    public static TestBedExtension of(TopologySpec spec) {
        return new TestBedExtension(spec);
    }

    /** {@code of("mesh,hosts=4,containers=2,networks=2")}. */
    public static TestBedExtension of(String namedTopology) {
        return of(TopologySpec.named(namedTopology));
    }

    /** The running bed; only between beforeAll and afterAll (register the extension on a static field). */
    public TestBed bed() {
        return running();
    }

    public List<BedHost> hosts() {
        return bed().hosts();
    }

    public BedHost host(String name) {
        return bed().host(name);
    }

    public List<BedContainer> containers() {
        return bed().containers();
    }

    public BedContainer container(String name) {
        return bed().container(name);
    }

    @Override
    public String toString() {
        return "test bed " + spec;
    }
}
