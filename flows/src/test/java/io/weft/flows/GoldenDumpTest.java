package io.weft.flows;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The compiler's output for the reference topology is the reviewed {@link GoldenDump}: any change to it fails here,
 * with the flows each host gained and lost. Rewriting the file is a separate command (flows/update-golden.sh), so
 * this test can only pass against a dump someone committed.
 */
class GoldenDumpTest {

    @Test
    void referenceTopologyCompilesToTheReviewedFlows() throws IOException {
        String reviewed = Files.readString(GoldenDump.FILE, StandardCharsets.UTF_8);
        String actual = GoldenDump.current();
        if (!actual.equals(reviewed)) {
            fail("the compiler's flows for the reference topology differ from %s (- reviewed, + now):%n%s%n"
                    + "If the change is intended: flows/update-golden.sh, review the diff, commit it.",
                    GoldenDump.FILE, difference(reviewed, actual));
        }
    }

    /** Per host, the lines only the reviewed dump has (-) and only the current one has (+); then order changes. */
    static String difference(String reviewed, String actual) {
        Map<String, List<String>> before = byHost(reviewed);
        Map<String, List<String>> after = byHost(actual);
        Set<String> hosts = new LinkedHashSet<>(before.keySet());
        hosts.addAll(after.keySet());
        StringBuilder sb = new StringBuilder();
        for (String host : hosts) {
            List<String> lost = new ArrayList<>(before.getOrDefault(host, List.of()));
            lost.removeAll(after.getOrDefault(host, List.of()));
            List<String> gained = new ArrayList<>(after.getOrDefault(host, List.of()));
            gained.removeAll(before.getOrDefault(host, List.of()));
            if (lost.isEmpty() && gained.isEmpty()) {
                if (!before.get(host).equals(after.get(host))) {
                    sb.append(host).append(": the same lines in another order\n");
                }
                continue;
            }
            sb.append(host).append(":\n");
            lost.forEach(l -> sb.append("- ").append(l).append('\n'));
            gained.forEach(l -> sb.append("+ ").append(l).append('\n'));
        }
        return sb.length() == 0 ? "(only the header differs)" : sb.toString();
    }

    private static Map<String, List<String>> byHost(String dump) {
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        String host = "(before any host)";
        for (String line : dump.split("\n")) {
            if (line.startsWith("# host ")) {
                host = line.substring(2);
            } else if (!line.startsWith("#") && !line.isBlank()) {
                hosts.computeIfAbsent(host, h -> new ArrayList<>()).add(line);
            }
        }
        return hosts;
    }
}
