package io.weft.cli;

import io.weft.controller.WeftCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code weft network}: create, list, inspect and remove networks; connect and disconnect endpoints. */
@Command(name = "network", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Manage overlay networks, as docker network does.",
        subcommands = {NetworkCommand.Create.class, NetworkCommand.Ls.class, NetworkCommand.Inspect.class,
                NetworkCommand.Rm.class, NetworkCommand.Connect.class, NetworkCommand.Disconnect.class})
public final class NetworkCommand extends GroupCommand implements WeftCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a network.", "Prints its name (with --format json, the network)."})
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--subnet", required = true, paramLabel = "CIDR",
                description = "A subnet, e.g. 10.65.10.0/24; repeat it for a routed network of several.")
        List<String> subnets;

        @Option(names = "--gateway", paramLabel = "IP", description = "The gateway of the --subnet at the same "
                + "position (default: the subnet's first address).")
        List<String> gateways = new ArrayList<>();

        @Option(names = "--encap", paramLabel = "ENCAP", description = "vxlan (default) or gre.")
        String encap;

        @Option(names = "--vni", paramLabel = "VNI", description = "The network's VNI (default: the lowest free).")
        Integer vni;

        @Option(names = "--mtu", paramLabel = "MTU",
                description = "Its MTU (default: the underlay's minus the encapsulation's).")
        Integer mtu;

        @Mixin
        WaitOption waiting;

        @Override
        int run(WeftRest rest, PrintWriter out) {
            if (gateways.size() > subnets.size()) {
                throw new ParameterException(spec.commandLine(), gateways.size()
                        + " --gateway for " + subnets.size() + " --subnet: give at most one per subnet");
            }
            List<Requests.Subnet> subnetBodies = new ArrayList<>();
            for (int i = 0; i < subnets.size(); i++) {
                subnetBodies.add(new Requests.Subnet(subnets.get(i), i < gateways.size() ? gateways.get(i) : null));
            }
            return written(out, rest.send("POST", WeftRest.path("networks") + waiting.query(),
                    body(new Requests.Network(name, subnetBodies, encap, vni, mtu))), name);
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List networks.")
    static final class Ls extends ApiCommand {
        @Override
        int run(WeftRest rest, PrintWriter out) {
            return list(out, rest.get(WeftRest.path("networks")), Renderings::networks);
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show networks in full, as JSON.")
    static final class Inspect extends ApiCommand {
        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        @Override
        int run(WeftRest rest, PrintWriter out) {
            return Writes.inspect(this, rest, out, names, name -> WeftRest.path("networks", name));
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = {"Remove networks that have no endpoints left.", "Prints each name removed."})
    static final class Rm extends ApiCommand {
        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        @Mixin
        WaitOption waiting;

        @Override
        int run(WeftRest rest, PrintWriter out) {
            return Writes.each(this, names, name -> written(out, rest.send("DELETE",
                    WeftRest.path("networks", name) + waiting.query(), null), name));
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true,
            description = {"Announce a container's interface in a network (an endpoint).", "As docker network "
                    + "connect; prints the endpoint's name (with --format json, the endpoint with its address)."})
    static final class Connect extends ApiCommand {
        @Mixin
        EndpointRef ref;

        @Option(names = "--host", paramLabel = "HOST", required = true,
                description = "The host the container runs on.")
        String host;

        @Option(names = "--port", paramLabel = "PORT", required = true,
                description = "The container's host-side interface (Weft adds it to br-int).")
        String port;

        @Option(names = "--ip", paramLabel = "IP",
                description = "Its IPv4 address (default: the lowest free in the network).")
        String ip;

        @Option(names = "--mac", paramLabel = "MAC",
                description = "Its MAC (default: 02:42 and the IP, as Docker does).")
        String mac;

        @Mixin
        WaitOption waiting;

        @Override
        int run(WeftRest rest, PrintWriter out) {
            return written(out, rest.send("POST", WeftRest.path("networks", ref.network, "endpoints")
                    + waiting.query(), body(new Requests.Endpoint(ref.endpoint, host, port, ip, mac))),
                    ref.endpoint);
        }
    }

    @Command(name = "disconnect", mixinStandardHelpOptions = true,
            description = {"Remove an endpoint from its network everywhere.", "As docker network disconnect."})
    static final class Disconnect extends RemoveEndpoint {
    }
}
