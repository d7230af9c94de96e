package io.weft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.PrintWriter;
import java.util.function.Function;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls the REST API. A request that does not succeed ends it with one line on stderr, {@code weft:}
 * and the controller's reason, and the {@link Exit} status that says what kind of failure it was.
 */
abstract class ApiCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            return run(api.client(), out);
        } catch (ApiException e) {
            out.flush();
            spec.commandLine().getErr().println("weft: " + e.getMessage());
            return e.exitCode();
        } finally {
            out.flush();
        }
    }

    /** @return the exit status */
    abstract int run(WeftRest rest, PrintWriter out);

    /** What a listing prints: {@code table} of the reply, or the reply itself with --format json. */
    int list(PrintWriter out, JsonNode reply, Function<JsonNode, Table> table) {
        if (api.json()) {
            printJson(out, reply);
        } else {
            out.print(table.apply(reply));
        }
        return Exit.OK;
    }

    /** A request body as JSON, its null fields left out. */
    static JsonNode body(Object request) {
        return WeftRest.JSON.valueToTree(request);
    }

    /** Indented as docker inspect indents: {@code "name": "red"}, one element a line. */
    private static final ObjectWriter PRETTY = WeftRest.JSON.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    /** The whole reply as JSON, indented. */
    static void printJson(PrintWriter out, JsonNode json) {
        try {
            out.println(PRETTY.writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * What a write prints: the name it made or removed, or with --format json the controller's reply. A waited write
     * that not every host acknowledged in time says so on stderr and ends {@link Exit#PENDING}.
     */
    int written(PrintWriter out, WeftRest.Reply reply, String name) {
        if (api.json() && !reply.body().isNull()) {
            printJson(out, reply.body());
        } else {
            out.println(name);
        }
        if (reply.status() == 202) {
            out.flush();
            spec.commandLine().getErr().println("weft: " + reply.body().path("installPending")
                    .asText("committed, but not every host acknowledged it in time"));
            return Exit.PENDING;
        }
        return Exit.OK;
    }
}
