package io.weft.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Teardown leaves nothing behind, however the bed ends; beds never collide. */
class TeardownIT {

    private static final Duration GONE = Duration.ofSeconds(5);

    private static void assertNothingLeft(TestBed bed, BedProcesses before) {
        await().atMost(GONE).untilAsserted(() -> {
            assertThat(before.alive()).as("bed processes still alive").isEmpty();
            assertThat(before.processesInBedNamespaces()).as("processes in the bed's namespaces").isEmpty();
            assertThat(Files.exists(bed.runDir())).as("run dir " + bed.runDir()).isFalse();
        });
    }

    @Test
    void closeRemovesEveryProcessNamespaceAndDirectory() {
        TestBed bed = TestBed.start(TopologySpec.twosites());
        BedProcesses before = BedProcesses.of(bed);
        assertThat(before.netns()).as("h1 h2 c1 c2 r1 r2 lan1 lan2 wan").hasSize(9);
        assertThat(before.alive()).isEqualTo(before.pids());

        bed.close();

        assertNothingLeft(bed, before);
        bed.close(); // idempotent
        assertThatThrownBy(() -> bed.linkDown("h1", "lan1")).hasMessageContaining("closed");
    }

    @Test
    void aJvmThatDiesLeavesNothingBehind() {
        TestBed bed = TestBed.start(TopologySpec.onelan(2));
        BedProcesses before = BedProcesses.of(bed);

        bed.launcher().closeStdin(); // what the launcher sees when the JVM is killed

        assertThat(bed.launcher().awaitExit(GONE)).as("launcher exits on stdin EOF").isTrue();
        assertNothingLeft(bed, before);
        bed.close();
    }

    @Test
    void sigtermOnTheLauncherTearsDown() {
        TestBed bed = TestBed.start(TopologySpec.onelan(2));
        BedProcesses before = BedProcesses.of(bed);

        ProcessHandle.of(bed.launcherPid()).orElseThrow().destroy();

        assertThat(bed.launcher().awaitExit(GONE)).isTrue();
        assertNothingLeft(bed, before);
        bed.close();
    }

    @Test
    void closeCleansUpEvenAfterTheLauncherWasKilledHard() {
        TestBed bed = TestBed.start(TopologySpec.onelan(2));
        BedProcesses before = BedProcesses.of(bed);

        ProcessHandle.of(bed.launcherPid()).orElseThrow().destroyForcibly();
        assertThat(bed.launcher().awaitExit(GONE)).isTrue();
        assertThat(before.processesInBedNamespaces()).as("a SIGKILLed launcher cannot clean up").isNotEmpty();

        bed.close();
        assertNothingLeft(bed, before);
    }

    @Test
    void twoBedsUpAtTheSameTimeDoNotCollide() {
        try (TestBed first = TestBed.start(TopologySpec.twosites());
             TestBed second = TestBed.start(TopologySpec.twosites())) {
            assertThat(first.runDir()).isNotEqualTo(second.runDir());
            for (TestBed bed : new TestBed[] {first, second}) {
                BedHost h1 = bed.host("h1");
                assertThat(h1.exec("ping", "-n", "-q", "-c", "1", "-W", "1", bed.host("h2").tunnelIp()).ok()).isTrue();
                assertThat(h1.vsctl("get", "Open_vSwitch", ".", "external_ids:system-id").orThrow().stdout())
                        .contains("h1");
            }
            assertThat(first.host("h1").ovsdbTarget()).isNotEqualTo(second.host("h1").ovsdbTarget());
            BedProcesses firstProcesses = BedProcesses.of(first);
            assertThat(firstProcesses.netns()).doesNotContainAnyElementsOf(BedProcesses.of(second).netns());

            first.close();
            assertNothingLeft(first, firstProcesses);
            BedHost h1 = second.host("h1");
            assertThat(h1.exec("ping", "-n", "-q", "-c", "1", "-W", "1", second.host("h2").tunnelIp()).ok())
                    .as("the second bed survives the first one's teardown").isTrue();
        }
    }

    @Test
    void aBadSpecFailsClearlyAndBuildsNothing() {
        assertThatThrownBy(() -> TestBed.start(TopologySpec.named("nosuch")))
                .hasMessageContaining("unknown topology 'nosuch'");
        assertThatThrownBy(() -> TestBed.start(TopologySpec.named("mesh,hosts=two")))
                .hasMessageContaining("hosts");
        TopologySpec dangling = TopologySpec.builder().segment("lan1", "172.31.1.0/24")
                .host("h1", "lan9", "172.31.1.11/24").build();
        assertThatThrownBy(() -> TestBed.start(dangling)).hasMessageContaining("unknown segment 'lan9'");
    }
}
