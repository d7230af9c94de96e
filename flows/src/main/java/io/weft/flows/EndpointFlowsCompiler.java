package io.weft.flows;

import static io.weft.flows.Rules.PRIORITY;
import static io.weft.flows.Rules.rule;

import io.weft.model.Endpoint;
import io.weft.model.Network;
import io.weft.model.flow.Action;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import io.weft.routing.DistributedGateway;
import io.weft.routing.NextHop;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint as seen from one host. Everywhere its network is present: the ARP answer for its IP, the routes to
 * it from the network's other subnets, and the L2 entry for its MAC (local port, or tunnel once the tunnel port
 * toward its host is bound). On its own host also: port security, and the second stage of ARP and echo replies
 * addressed to it. An endpoint whose port is not bound yet has no flows on its own host; the other hosts' flows
 * toward it do not wait for its port (see {@link io.weft.routing.NextHop#of}).
 */
final class EndpointFlowsCompiler {

    private EndpointFlowsCompiler() {
    }

    static void addTo(CompileContext ctx, Endpoint e, String host, List<FlowRule> out) {
        if (!ctx.isPresent(e.network(), host)) {
            return;
        }
        NextHop hop = ctx.nextHops(host).of(e);
        if (hop instanceof NextHop.Local local) {
            addLocalView(ctx, e, local.ofport(), out);
        } else if (hop instanceof NextHop.Tunnel tunnel) {
            out.addAll(ctx.remoteView(e.id(), tunnel.ofport(), () -> remoteView(ctx, e, tunnel)));
        } else if (hop instanceof NextHop.NoTunnel) {
            out.addAll(ctx.remoteView(e.id(), 0, () -> remoteView(ctx, e, null)));
        }
    }

    private static List<FlowRule> remoteView(CompileContext ctx, Endpoint e, NextHop.Tunnel tunnel) {
        Network network = ctx.snapshot.networks().get(e.network());
        long cookie = cookie(e);
        List<FlowRule> out = new ArrayList<>(anywhere(ctx, e));
        if (tunnel != null) {
            // Local origin only: what came from a tunnel is never sent into another one (split horizon).
            out.add(rule(Pipeline.L2_FORWARD, PRIORITY, Match.builder()
                            .masked(Field.METADATA, network.vni(), Metadata.LOCAL_ORIGIN_MASK)
                            .exact(Field.ETH_DST, e.mac().bits()).build(), cookie,
                    Instruction.apply(Action.set(Field.TUNNEL_ID, tunnel.vni()), Action.output(tunnel.ofport()))));
        }
        return List.copyOf(out);
    }

    private static void addLocalView(CompileContext ctx, Endpoint e, int ofport, List<FlowRule> out) {
        Network network = ctx.snapshot.networks().get(e.network());
        long cookie = cookie(e);
        portSecurity(e, ofport, network.vni(), cookie, out);
        repliesTo(e, ofport, cookie, out);
        out.addAll(anywhere(ctx, e));
        out.add(rule(Pipeline.L2_FORWARD, PRIORITY, Match.builder()
                        .masked(Field.METADATA, network.vni(), Metadata.VNI_MASK)
                        .exact(Field.ETH_DST, e.mac().bits()).build(), cookie,
                Instruction.apply(Action.output(ofport))));
    }

    private static long cookie(Endpoint e) {
        return Cookies.of(Cookies.Kind.ENDPOINT, e.id().toString());
    }

    /** What every host of the network holds for the endpoint: its ARP answer and the routes to it. */
    private static List<FlowRule> anywhere(CompileContext ctx, Endpoint e) {
        return ctx.anywhere(e.id(), () -> {
            List<FlowRule> out = new ArrayList<>(2);
            addAnywhere(ctx.snapshot.networks().get(e.network()), e, cookie(e), out);
            return List.copyOf(out);
        });
    }

    private static void addAnywhere(Network network, Endpoint e, long cookie, List<FlowRule> out) {
        long mac = e.mac().bits();
        long ip = e.ip().asLong();
        out.add(ArpResponder.stageA(network, ip, mac, cookie));
        for (DistributedGateway.Route route : DistributedGateway.routesTo(network, e)) {
            out.add(rule(Pipeline.L3_GATEWAY, PRIORITY, Match.builder()
                            .masked(Field.METADATA, network.vni(), Metadata.LOCAL_ORIGIN_MASK)
                            .exact(Field.ETH_TYPE, EthType.IPV4)
                            .exact(Field.ETH_DST, route.ingressMac().bits())
                            .exact(Field.IPV4_DST, ip).build(), cookie,
                    Instruction.apply(
                            Action.set(Field.ETH_SRC, route.egressMac().bits()),
                            Action.set(Field.ETH_DST, mac),
                            new Action.DecNwTtl()),
                    Instruction.gotoTable(Pipeline.L2_FORWARD.number())));
        }
    }

    private static void portSecurity(Endpoint e, int ofport, long vni, long cookie, List<FlowRule> out) {
        long mac = e.mac().bits();
        long ip = e.ip().asLong();
        out.add(rule(Pipeline.CLASSIFIER, PRIORITY, Match.builder()
                        .exact(Field.IN_PORT, ofport)
                        .exact(Field.ETH_SRC, mac)
                        .exact(Field.ETH_TYPE, EthType.IPV4)
                        .exact(Field.IPV4_SRC, ip).build(), cookie,
                Instruction.writeMetadata(vni, Metadata.ALL),
                Instruction.gotoTable(Pipeline.L3_GATEWAY.number())));
        out.add(rule(Pipeline.CLASSIFIER, PRIORITY, Match.builder()
                        .exact(Field.IN_PORT, ofport)
                        .exact(Field.ETH_SRC, mac)
                        .exact(Field.ETH_TYPE, EthType.ARP)
                        .exact(Field.ARP_SPA, ip)
                        .exact(Field.ARP_SHA, mac).build(), cookie,
                Instruction.writeMetadata(vni, Metadata.ALL),
                Instruction.gotoTable(Pipeline.ARP_RESPONDER.number())));
    }

    /** Stage B of the ARP and echo responders: the requester is whoever port security lets in on this port. */
    private static void repliesTo(Endpoint e, int ofport, long cookie, List<FlowRule> out) {
        long mac = e.mac().bits();
        long ip = e.ip().asLong();
        // eth_type in each match: switches check set-field prerequisites against the flow's own match.
        Match arpByPort = Match.builder().exact(Field.IN_PORT, ofport).exact(Field.ETH_TYPE, EthType.ARP).build();
        Match ipByPort = Match.builder().exact(Field.IN_PORT, ofport).exact(Field.ETH_TYPE, EthType.IPV4).build();
        out.add(rule(Pipeline.ARP_REPLY, PRIORITY, arpByPort, cookie, Instruction.apply(
                Action.set(Field.ETH_DST, mac),
                Action.set(Field.ARP_THA, mac),
                Action.set(Field.ARP_TPA, ip),
                Action.output(Action.PORT_IN_PORT))));
        out.add(rule(Pipeline.ICMP_REPLY, PRIORITY, ipByPort, cookie, Instruction.apply(
                Action.set(Field.IPV4_DST, ip),
                Action.set(Field.ETH_DST, mac),
                Action.output(Action.PORT_IN_PORT))));
    }
}
