package io.weft.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the {@code weftbed} Python package is: the directory named by the system property
 * {@code weft.testbed.python} (or env {@code WEFT_TESTBED_PYTHON}), else a copy extracted once per JVM from this
 * jar, so modules that depend on the jar from ~/.m2 need no source checkout.
 */
final class PythonSource {

    static final String PROPERTY = "weft.testbed.python";
    /** Every file of the package (its modules and the OVS start-up script); PythonSourceTest checks the list. */
    static final List<String> FILES = List.of("__init__.py", "nodes.py", "topologies.py", "topo.py", "bed.py",
            "launcher.py", "ovs-host.sh");
    private static final String RESOURCE_DIR = "/io/weft/testbed/python/weftbed/";

    private static Path extracted;

    private PythonSource() { }

    /** The directory holding {@code weftbed/}. */
    static synchronized Path root() {
        String configured = System.getProperty(PROPERTY, System.getenv("WEFT_TESTBED_PYTHON"));
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!Files.isRegularFile(dir.resolve("weftbed/launcher.py"))) {
                throw new IllegalStateException(PROPERTY + "=" + dir + " holds no weftbed/launcher.py");
            }
            return dir;
        }
        if (extracted == null) {
            extracted = extract();
        }
        return extracted;
    }

    static Path launcher() {
        return root().resolve("weftbed/launcher.py");
    }

    private static Path extract() {
        try {
            Path dir = Files.createTempDirectory("weftbed-py-");
            Path pkg = Files.createDirectory(dir.resolve("weftbed"));
            for (String file : FILES) {
                try (InputStream in = PythonSource.class.getResourceAsStream(RESOURCE_DIR + file)) {
                    if (in == null) {
                        throw new IllegalStateException("weftbed/" + file + " is missing from the test-topologies jar");
                    }
                    Files.copy(in, pkg.resolve(file));
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "weftbed-py-cleanup"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the weftbed Python package", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
