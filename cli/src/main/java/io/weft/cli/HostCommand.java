package io.weft.cli;

import io.weft.controller.WeftCommand;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft host}: the machines running Open vSwitch that Weft programs. */
@Command(name = "host", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Register, list, inspect and forget hosts (machines running Open vSwitch).",
        subcommands = {HostCommand.Add.class, HostCommand.Ls.class, HostCommand.Inspect.class, HostCommand.Rm.class})
public final class HostCommand extends GroupCommand implements WeftCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a host; prints its name (with --format json, the host).")
    static final class Add extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The host's name in Weft (its OVS system-id, if it "
                + "connects to Weft's OVSDB listener).")
        String name;

        @Option(names = "--tunnel-ip", required = true, paramLabel = "IP",
                description = "Its underlay address, where other hosts' tunnels reach it.")
        String tunnelIp;

        @Option(names = "--ovsdb", paramLabel = "TARGET", description = "Where Weft reaches its ovsdb-server: "
                + "tcp:IP:PORT, ssl:IP:PORT or unix:PATH (leave out for a host that connects to Weft).")
        String ovsdb;

        @Option(names = "--openflow", paramLabel = "TARGET",
                description = "A passive OpenFlow target on its bridge: ptcp:PORT, pssl:PORT or punix:PATH.")
        String openflow;

        @Option(names = "--datapath-type", paramLabel = "TYPE",
                description = "system (default: the kernel datapath) or netdev (userspace).")
        String datapathType;

        @Mixin
        WaitOption waiting;

        @Override
        int run(WeftRest rest, PrintWriter out) {
            return written(out, rest.send("POST", WeftRest.path("hosts") + waiting.query(),
                    body(new Requests.Host(name, tunnelIp, ovsdb, datapathType, openflow))), name);
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
            description = "List hosts with their connections and whether their flows are in sync.")
    static final class Ls extends ApiCommand {
        @Override
        int run(WeftRest rest, PrintWriter out) {
            return list(out, rest.get(WeftRest.path("hosts")), Renderings::hosts);
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Show hosts in full, as JSON: targets, connections, tunnels, flows, drift repaired.")
    static final class Inspect extends ApiCommand {
        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        @Override
        int run(WeftRest rest, PrintWriter out) {
            return Writes.inspect(this, rest, out, names, name -> WeftRest.path("hosts", name));
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = "Forget hosts that hold no endpoints; prints each name removed.")
    static final class Rm extends ApiCommand {
        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        @Mixin
        WaitOption waiting;

        @Override
        int run(WeftRest rest, PrintWriter out) {
            return Writes.each(this, names, name -> written(out, rest.send("DELETE",
                    WeftRest.path("hosts", name) + waiting.query(), null), name));
        }
    }
}
