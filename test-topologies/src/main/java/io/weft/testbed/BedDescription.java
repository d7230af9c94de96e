package io.weft.testbed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.List;

/** The launcher's one-line JSON description of a bed it brought up. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BedDescription(Path runDir, long launcherPid, List<BedHost> hosts, List<BedContainer> containers,
                             List<BedRouter> routers, List<BedSegment> segments, List<TopologySpec.Network> networks) {

    public BedDescription {
        hosts = List.copyOf(hosts);
        containers = List.copyOf(containers);
        routers = List.copyOf(routers);
        segments = List.copyOf(segments);
        networks = List.copyOf(networks);
    }
}
