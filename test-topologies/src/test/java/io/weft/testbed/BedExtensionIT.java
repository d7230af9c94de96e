package io.weft.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension brings the bed up for a class and removes it afterwards, also when the class's tests fail. */
class BedExtensionIT {

    static final AtomicReference<TestBed> SEEN = new AtomicReference<>();
    static final AtomicReference<BedProcesses> PROCESSES = new AtomicReference<>();

    /** Run only through EngineTestKit below (Failsafe skips nested classes). */
    static class FailingTests {
        @RegisterExtension
        static TestBedExtension bed = TestBedExtension.of(TopologySpec.onelan(2));

        @Test
        void seesARunningBedAndFails() {
            SEEN.set(bed.bed());
            PROCESSES.set(BedProcesses.of(bed.bed()));
            assertThat(bed.host("h1").vsctl("br-exists", "br-phy").ok()).isTrue();
            throw new AssertionError("deliberate failure");
        }
    }

    @Test
    void aFailingTestClassStillLeavesNothingBehind() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingTests.class)).execute()
                .testEvents();
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(tests.failed().stream().findFirst().orElseThrow().getPayload().orElseThrow().toString())
                .contains("deliberate failure");

        TestBed bed = SEEN.get();
        assertThat(bed.isClosed()).isTrue();
        assertThat(Files.exists(bed.runDir())).isFalse();
        assertThat(PROCESSES.get().alive()).isEmpty();
        assertThat(PROCESSES.get().processesInBedNamespaces()).isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> FailingTests.bed.bed()))
                .hasMessageContaining("not running");
    }
}
