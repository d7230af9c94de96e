package io.weft.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft network disconnect} and {@code weft endpoint rm}: one command under the names both idioms use. */
abstract class RemoveEndpoint extends ApiCommand {

    @Mixin
    EndpointRef ref;

    @Option(names = "--wait", description = "Return once its flows are gone from every host.")
    boolean waitForHosts;

    @Override
    int run(WeftRest rest, PrintWriter out) {
        return written(out, rest.send("DELETE", ref.path() + Writes.waitQuery(waitForHosts), null), ref.endpoint);
    }
}
