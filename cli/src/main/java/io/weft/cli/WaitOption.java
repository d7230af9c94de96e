package io.weft.cli;

import picocli.CommandLine.Option;

/** {@code --wait} on a write: the reply comes once every host the change concerns acknowledged it. */
final class WaitOption {

    @Option(names = "--wait", description = "Return once every host it concerns acknowledged it (at most the "
            + "controller's default, 30 s); exit 5 if some did not in time.")
    boolean waitForHosts;

    @Option(names = "--wait-timeout", paramLabel = "DURATION",
            description = "With --wait (implied), how long at most: 500ms, 10s, 2m (at most 10m).")
    String timeout;

    /** The query that asks the controller to wait, or nothing. */
    String query() {
        if (timeout != null) {
            return "?" + WeftRest.query("wait", timeout);
        }
        return waitForHosts ? "?wait=true" : "";
    }
}
