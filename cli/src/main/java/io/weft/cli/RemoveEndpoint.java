package io.weft.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Mixin;

/** {@code weft network disconnect} and {@code weft endpoint rm}: one command under the names both idioms use. */
abstract class RemoveEndpoint extends ApiCommand {

    @Mixin
    EndpointRef ref;

    @Mixin
    WaitOption waiting;

    @Override
    int run(WeftRest rest, PrintWriter out) {
        return written(out, rest.send("DELETE", ref.path() + waiting.query(), null), ref.endpoint);
    }
}
