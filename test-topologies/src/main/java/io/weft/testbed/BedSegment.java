package io.weft.testbed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** An underlay L2 segment of a running bed: Linux bridge {@code bridge} in its own namespace. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BedSegment(String name, long pid, String cidr, String bridge, List<String> members) {

    public BedSegment {
        members = List.copyOf(members);
    }

    public ExecResult exec(String... argv) {
        return NamespaceExec.run(pid, java.util.Map.of(), NamespaceExec.DEFAULT_TIMEOUT, argv);
    }
}
