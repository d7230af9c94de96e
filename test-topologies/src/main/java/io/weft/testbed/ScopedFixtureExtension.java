package io.weft.testbed;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the fixtures' JUnit extensions share: one fixture started for each test or once for a class, before the
 * test's own {@code @BeforeEach} ({@code @BeforeAll}), and closed exactly once after its {@code @AfterEach}
 * ({@code @AfterAll}), also when the test or the class fails. The extension store closes it too, in case the
 * after-callback never runs for this extension.
 */
abstract class ScopedFixtureExtension<T> implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    /** Starts the fixture; a start that fails removes what it made before throwing. */
    interface Starter<T> {
        T start() throws IOException;
    }

    private final boolean perClass;
    private final Starter<T> starter;
    private final Consumer<T> closer;
    private final AtomicReference<T> running = new AtomicReference<>();

    ScopedFixtureExtension(boolean perClass, Starter<T> starter, Consumer<T> closer) {
        this.perClass = perClass;
        this.starter = starter;
        this.closer = closer;
    }

    @Override
    public final void beforeAll(ExtensionContext context) throws IOException {
        if (perClass) {
            start(context);
        }
    }

    @Override
    public final void afterAll(ExtensionContext context) {
        if (perClass) {
            stop();
        }
    }

    @Override
    public final void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            start(context);
        }
    }

    @Override
    public final void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    /** The running fixture; only while a test (or, per class, the class) runs. */
    final T running() {
        T fixture = running.get();
        if (fixture == null) {
            throw new IllegalStateException(this + " is not running: register " + getClass().getSimpleName()
                    + " with @RegisterExtension (on a static field for a whole class)");
        }
        return fixture;
    }

    private void start(ExtensionContext context) throws IOException {
        T started = starter.start();
        running.set(started);
        context.getStore(ExtensionContext.Namespace.create(getClass()))
                .put(started, (ExtensionContext.Store.CloseableResource) () -> stop(started));
    }

    private void stop() {
        T fixture = running.get();
        if (fixture != null) {
            stop(fixture);
        }
    }

    private void stop(T fixture) {
        if (running.compareAndSet(fixture, null)) {
            closer.accept(fixture);
        }
    }
}
