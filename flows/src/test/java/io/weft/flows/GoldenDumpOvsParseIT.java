package io.weft.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real Open vSwitch accepts every compiled flow: {@code ovs-ofctl parse-flows} checks syntax and OpenFlow 1.3
 * consistency (e.g. set-field prerequisites) without a switch. Run with {@code -DskipITs=false}.
 */
class GoldenDumpOvsParseIT {

    @Test
    void ovsOfctlParsesEveryFlowOfTheReferenceTopology() throws IOException, InterruptedException {
        Path ofctl = Path.of("/usr/bin/ovs-ofctl");
        assumeTrue(Files.isExecutable(ofctl), "ovs-ofctl is not installed");
        Path flows = Files.createTempFile("weft-flows-", ".txt");
        try {
            String dump = FlowDump.of(ReferenceTopology.snapshot());
            long count = dump.lines().filter(l -> !l.startsWith("#")).count();
            Files.writeString(flows, dump, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(ofctl.toString(), "-O", "OpenFlow13", "parse-flows", flows.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output.lines().filter(l -> l.startsWith("OFPT_FLOW_MOD")).count()).isEqualTo(count);
        } finally {
            Files.deleteIfExists(flows);
        }
    }
}
