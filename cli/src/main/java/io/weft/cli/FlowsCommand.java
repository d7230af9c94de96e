package io.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.WeftCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code weft flows HOST}: what Weft wants on a host's br-int beside what the switch acknowledged. */
@Command(name = "flows", mixinStandardHelpOptions = true,
        description = {"Show a host's flows, desired beside installed.", "Each flow once: ok (installed as desired), "
                + "missing (desired, not installed) or unexpected (installed, not desired)."})
public final class FlowsCommand extends ApiCommand implements WeftCommand {

    @Parameters(paramLabel = "HOST")
    String host;

    @Override
    int run(WeftRest rest, PrintWriter out) {
        JsonNode flows = rest.get(WeftRest.path("hosts", host, "flows"));
        if (api.json()) {
            printJson(out, flows);
        } else {
            Renderings.flows(flows).forEach(out::println);
        }
        return Exit.OK;
    }
}
