package io.weft.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The reference topology's flows in ovs-ofctl syntax, reviewed by eye and checked in. After an intended pipeline
 * change, regenerate with
 * {@code mvn -q install -pl flows -Dtest=GoldenDumpTest -Dweft.golden.update=true}, review the git diff, commit.
 */
class GoldenDumpTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/reference-flows.txt");

    @Test
    void referenceTopologyCompilesToTheReviewedFlows() throws IOException {
        String actual = "# Reference topology (see ReferenceTopology.java); regenerate: see GoldenDumpTest.\n"
                + FlowDump.of(ReferenceTopology.snapshot());
        if (Boolean.getBoolean("weft.golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }
}
