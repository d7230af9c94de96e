package io.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.WeftCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code weft endpoint}: the containers' interfaces Weft was told about ({@code weft network connect} adds one). */
@Command(name = "endpoint", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"List, inspect and remove endpoints (containers' interfaces).",
                "weft network connect adds one."},
        subcommands = {EndpointCommand.Ls.class, EndpointCommand.Inspect.class, EndpointCommand.Rm.class})
public final class EndpointCommand extends GroupCommand implements WeftCommand {

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
            description = "List the endpoints of a network, or of every network.")
    static final class Ls extends ApiCommand {
        @Parameters(paramLabel = "NETWORK", arity = "0..1", description = "Only this network's.")
        String network;

        @Override
        int run(WeftRest rest, PrintWriter out) {
            List<JsonNode> endpoints = new ArrayList<>();
            List<String> networks = network != null ? List.of(network)
                    : Renderings.elements(rest.get(WeftRest.path("networks"))).stream()
                            .map(n -> n.path("name").asText()).toList();
            for (String n : networks) {
                endpoints.addAll(Renderings.elements(rest.get(WeftRest.path("networks", n, "endpoints"))));
            }
            return list(out, WeftRest.JSON.valueToTree(endpoints), Renderings::endpoints);
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Show an endpoint in full, as JSON: address, binding, its port on the host, counters.")
    static final class Inspect extends ApiCommand {
        @Mixin
        EndpointRef ref;

        @Override
        int run(WeftRest rest, PrintWriter out) {
            printJson(out, rest.get(ref.path()));
            return Exit.OK;
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = {"Remove an endpoint everywhere.", "As weft network disconnect; prints its name."})
    static final class Rm extends RemoveEndpoint {
    }
}
