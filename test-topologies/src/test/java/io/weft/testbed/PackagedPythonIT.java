package io.weft.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Other modules get this module from ~/.m2, without its source tree: the launcher then runs from the jar's copy. */
class PackagedPythonIT {

    @Test
    void theBedRunsFromThePythonPackagedInTheJar() throws Exception {
        String configured = System.clearProperty(PythonSource.PROPERTY);
        try (TestBed bed = TestBed.start(TopologySpec.onelan(2))) {
            String cmdline = Files.readString(Path.of("/proc/" + bed.launcherPid() + "/cmdline")).replace('\0', ' ');
            assertThat(cmdline).contains("weftbed-py-").doesNotContain("src/main/python");
            assertThat(bed.host("h1").exec("ping", "-n", "-q", "-c", "1", "-W", "1", bed.host("h2").tunnelIp()).ok())
                    .isTrue();
        } finally {
            if (configured != null) {
                System.setProperty(PythonSource.PROPERTY, configured);
            }
        }
    }
}
