package io.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.controller.WeftCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft trace NETWORK FROM TO}: a packet walked through the flows the switches hold now. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Say where a packet goes and why, in the flows the switches hold now.", "Walks it from an "
                + "endpoint host by host: where it is delivered or why it is dropped, and where desired and installed "
                + "flows differ. The exit status is 0 whatever the verdict (--format json has it as verdict)."})
public final class TraceCommand extends ApiCommand implements WeftCommand {

    @Parameters(index = "0", paramLabel = "NETWORK")
    String network;

    @Parameters(index = "1", paramLabel = "FROM", description = "An endpoint of the network.")
    String from;

    @Parameters(index = "2", paramLabel = "TO", description = "An endpoint of the network, or an IPv4 address.")
    String to;

    @Option(names = "--proto", paramLabel = "PROTO", description = "icmp (the controller's default), tcp, udp or arp.")
    String proto;

    @Option(names = "--port", paramLabel = "PORT", description = "The destination port, for tcp and udp.")
    Integer port;

    @Override
    int run(WeftRest rest, PrintWriter out) {
        StringBuilder query = new StringBuilder(WeftRest.path("trace")).append('?')
                .append(WeftRest.query("network", network)).append('&').append(WeftRest.query("from", from))
                .append('&').append(WeftRest.query("to", to));
        if (proto != null) {
            query.append('&').append(WeftRest.query("proto", proto));
        }
        if (port != null) {
            query.append('&').append(WeftRest.query("dstPort", port.toString()));
        }
        JsonNode trace = rest.get(query.toString());
        if (api.json()) {
            printJson(out, trace);
        } else {
            Renderings.trace(trace).forEach(out::println);
        }
        return Exit.OK;
    }
}
