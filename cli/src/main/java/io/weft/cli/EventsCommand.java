package io.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.WeftCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft events}: follows GET /api/v1/events, one line per event. A stream that is lost once it was open is
 * opened again with {@code Last-Event-ID}, so the controller replays what was missed (or says {@code resync}).
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Follow the controller's events, one line each.", "With --format json, each event's JSON. "
                + "Hosts connected and disconnected, tunnels changed, endpoints bound and removed, flows installed, "
                + "drift repaired, errors. Reconnects when the stream is lost, resuming after the last event seen."})
public final class EventsCommand extends ApiCommand implements WeftCommand {

    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    @Option(names = "--since", paramLabel = "ID",
            description = "Start after the event with this id (what the controller still holds of what came since).")
    String since;

    @Override
    int run(WeftRest rest, PrintWriter out) {
        Optional<String> last = Optional.ofNullable(since);
        boolean opened = false;
        Duration retry = FIRST_RETRY;
        while (!Thread.currentThread().isInterrupted()) {
            SseParser parser = new SseParser(last);
            String why;
            try (Stream<String> lines = rest.lines(WeftRest.path("events"), last)) {
                opened = true;
                retry = FIRST_RETRY;
                Iterator<String> it = lines.iterator();
                while (it.hasNext()) {
                    parser.line(it.next()).ifPresent(e -> print(out, e));
                }
                why = "the controller closed it";
            } catch (ApiException e) {
                boolean refused = e.httpStatus() != 0 && e.httpStatus() < 500;
                if (!opened || refused) {
                    throw e;
                }
                why = e.getMessage();
            } catch (UncheckedIOException e) {
                why = e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getCause().toString();
            }
            last = parser.lastId();
            Duration wait = parser.retry().orElse(retry);
            out.flush();
            spec.commandLine().getErr().println("weft: event stream lost (" + why + "); reconnecting in "
                    + wait.toMillis() + " ms" + last.map(id -> " after event " + id).orElse(""));
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        }
        return Exit.OK;
    }

    private void print(PrintWriter out, SseParser.Event event) {
        out.println(api.json() ? event.data() : line(event));
        out.flush();
    }

    /** The table format's line for an event: its JSON's fields, or its data as sent when it is not JSON. */
    static String line(SseParser.Event event) {
        JsonNode data;
        try {
            data = WeftRest.JSON.readTree(event.data());
        } catch (IOException notJson) {
            return event.type() + "  " + event.data();
        }
        return data != null && data.isObject() ? Renderings.event(event.type(), data)
                : event.type() + "  " + event.data();
    }
}
