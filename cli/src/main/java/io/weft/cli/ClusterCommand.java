package io.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.WeftCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code weft cluster}: the controller replicas, the leader and the store, as the answering replica sees them. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Show the controller replicas, which one leads (and its generation), and the store.",
                "Without --store on the controller: one replica, sole, on the embedded store."})
public final class ClusterCommand extends ApiCommand implements WeftCommand {

    @Override
    int run(WeftRest rest, PrintWriter out) {
        JsonNode cluster = rest.get("/api/v1/cluster");
        if (api.json()) {
            printJson(out, cluster);
        } else {
            Renderings.cluster(cluster).forEach(out::println);
        }
        return Exit.OK;
    }
}
