package io.weft.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** What several commands do alike: one request per name. */
final class Writes {

    private Writes() {
    }

    /**
     * Runs {@code each} for every name, as {@code docker rm a b c} does: a failure is said on stderr and the others
     * still run; the status is the first failure's.
     */
    static int each(ApiCommand command, List<String> names, ToIntFunction<String> each) {
        int status = Exit.OK;
        for (String name : names) {
            int s;
            try {
                s = each.applyAsInt(name);
            } catch (ApiException e) {
                command.spec.commandLine().getOut().flush();
                command.spec.commandLine().getErr().println("weft: " + e.getMessage());
                s = e.exitCode();
            }
            if (status == Exit.OK) {
                status = s;
            }
        }
        return status;
    }

    /** Prints each named thing's JSON, from {@code path} of its name. */
    static int inspect(ApiCommand command, WeftRest rest, PrintWriter out, List<String> names,
                       Function<String, String> path) {
        return each(command, names, name -> {
            ApiCommand.printJson(out, rest.get(path.apply(name)));
            return Exit.OK;
        });
    }
}
