package io.weft.testbed;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a test bed before all tests of a class and removes it after them, also when tests or the start fail.
 * <pre>
 * &#64;RegisterExtension
 * static TestBedExtension bed = TestBedExtension.of(TopologySpec.twosites());
 * </pre>
 * A missing prerequisite (not root, no OVS, no Mininet) fails the class: the README's test command installs them.
 */
public final class TestBedExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestBedExtension.class);

    private final TopologySpec spec;
    private volatile TestBed bed;

    private TestBedExtension(TopologySpec spec) {
        this.spec = spec;
    }

    public static TestBedExtension of(TopologySpec spec) {
        return new TestBedExtension(spec);
    }

    /** {@code of("mesh,hosts=4,containers=2,networks=2")}. */
    public static TestBedExtension of(String namedTopology) {
        return of(TopologySpec.named(namedTopology));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        TestBed started = TestBed.start(spec);
        bed = started;
        // The store closes it even if afterAll never runs for this extension.
        context.getStore(NAMESPACE).put(started, (ExtensionContext.Store.CloseableResource) started::close);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestBed running = bed;
        bed = null;
        if (running != null) {
            running.close();
        }
    }

    /** The running bed; only between beforeAll and afterAll (register the extension on a static field). */
    public TestBed bed() {
        TestBed running = bed;
        if (running == null) {
            throw new IllegalStateException("test bed " + spec + " is not running: register TestBedExtension on a"
                    + " static field with @RegisterExtension");
        }
        return running;
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
}
