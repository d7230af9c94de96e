package io.weft.flows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reviewed dump of the reference topology's flows, {@code src/test/resources/golden/reference-flows.txt}:
 * what {@link GoldenDumpTest} compares the compiler with. After an intended pipeline change, rewrite it with
 * {@code flows/update-golden.sh} (this class's main), review the git diff and commit it with the change; the test
 * itself never writes it.
 */
final class GoldenDump {

    static final Path FILE = Path.of("src/test/resources/golden/reference-flows.txt");

    private GoldenDump() {
    }

    /** What the compiler makes of the reference topology today, as the file holds it. */
    static String current() {
        return "# Reference topology (see ReferenceTopology.java); reviewed; rewrite with flows/update-golden.sh.\n"
                + FlowDump.of(ReferenceTopology.snapshot());
    }

    /** Rewrites the file: the one argument is the flows module's directory. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: GoldenDump FLOWS-MODULE-DIRECTORY");
        }
        Path file = Path.of(args[0]).resolve(FILE);
        Files.writeString(file, current(), StandardCharsets.UTF_8);
        System.out.println("wrote " + file + ": review `git diff " + file + "` before committing it");
    }
}
