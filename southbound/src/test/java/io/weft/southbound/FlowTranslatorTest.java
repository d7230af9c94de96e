package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.weft.model.flow.Action;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

class FlowTranslatorTest {

    /** Through the wire both ways: FlowRule -> OFFlowAdd bytes -> flow-stats reply bytes -> FlowRule. */
    static FlowRule roundTrip(OFFactory f, FlowRule rule) {
        OFFlowAdd add = (OFFlowAdd) reparse(new FlowTranslator(f).add(rule, 7));
        OFFlowStatsEntry entry = f.buildFlowStatsEntry().setTableId(add.getTableId()).setPriority(add.getPriority())
                .setCookie(add.getCookie()).setMatch(add.getMatch()).setInstructions(add.getInstructions()).build();
        OFFlowStatsReply reply = (OFFlowStatsReply) reparse(f.buildFlowStatsReply().setXid(8)
                .setEntries(List.of(entry)).build());
        return FlowTranslator.parse(reply.getEntries().get(0)).orElseThrow(
                () -> new AssertionError("parsed as foreign: " + rule));
    }

    static OFMessage reparse(OFMessage m) {
        ByteBuf buf = Unpooled.buffer();
        m.writeTo(buf);
        try {
            return OFFactories.getGenericReader().readFrom(buf);
        } catch (org.projectfloodlight.openflow.exceptions.OFParseError e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_13", "OF_14"})
    void everyFieldActionAndInstructionKindRoundTrips(OFVersion v) {
        OFFactory f = OFFactories.getFactory(v);
        Set<Field> matched = EnumSet.noneOf(Field.class);
        Set<Field> masked = EnumSet.noneOf(Field.class);
        Set<Field> set = EnumSet.noneOf(Field.class);
        Set<Class<?>> kinds = new HashSet<>();
        for (long seed = 0; seed < 2000; seed++) {
            FlowRule rule = new RandomFlows(seed).flow();
            assertThat(roundTrip(f, rule)).as("seed %d", seed).isEqualTo(rule);
            rule.match().fields().forEach(fm -> {
                matched.add(fm.field());
                if (!fm.isExact()) {
                    masked.add(fm.field());
                }
            });
            for (Instruction i : rule.instructions()) {
                kinds.add(i.getClass());
                if (i instanceof Instruction.ApplyActions a) {
                    for (Action act : a.actions()) {
                        kinds.add(act.getClass());
                        if (act instanceof Action.SetField s) {
                            set.add(s.field());
                        }
                    }
                }
            }
        }
        assertThat(matched).containsExactlyInAnyOrder(Field.values());
        assertThat(masked).contains(Field.METADATA, Field.TUNNEL_ID, Field.ETH_DST, Field.IPV4_DST, Field.ARP_SPA);
        assertThat(set).containsAll(EnumSet.complementOf(EnumSet.of(Field.IN_PORT, Field.METADATA)));
        assertThat(kinds).contains(Instruction.ApplyActions.class, Instruction.WriteMetadata.class,
                Instruction.GotoTable.class, Instruction.Meter.class, Action.Output.class, Action.SetField.class, Action.DecNwTtl.class);
    }

    @Test
    void emptyApplyActionsIsTheSameFlowAsNoInstruction() {
        FlowRule drop = new FlowRule(0, 1, Match.ANY, List.of(Instruction.apply()), 0);
        assertThat(roundTrip(OFFactories.getFactory(OFVersion.OF_13), drop))
                .isEqualTo(new FlowRule(0, 1, Match.ANY, List.of(), 0));
    }

    @Test
    void aFlowTheModelCannotExpressIsForeign() {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        var udp = f.buildMatch().setExact(MatchField.ETH_TYPE, org.projectfloodlight.openflow.types.EthType.IPv4)
                .setExact(MatchField.IP_PROTO, org.projectfloodlight.openflow.types.IpProtocol.UDP)
                .setExact(MatchField.UDP_DST, TransportPort.of(53)).build();
        OFFlowStatsEntry e = f.buildFlowStatsEntry().setMatch(udp).setPriority(5).setCookie(U64.of(1))
                .setInstructions(List.of()).build();
        assertThat(FlowTranslator.parse(e)).isEmpty();
        OFFlowStatsEntry timed = f.buildFlowStatsEntry().setMatch(f.matchWildcardAll()).setIdleTimeout(10)
                .setInstructions(List.of()).build();
        assertThat(FlowTranslator.parse(timed)).isEmpty();
        OFFlowStatsEntry meter = f.buildFlowStatsEntry().setMatch(f.matchWildcardAll())
                .setInstructions(List.of(f.instructions().clearActions())).build();
        assertThat(FlowTranslator.parse(meter)).isEmpty();
    }

    /**
     * A switch's match is read from its OXMs as they came, without openflowj's prerequisite checks: a field without
     * its prerequisite (no eth_type for ipv4_dst) still makes the flow foreign, never a broader match.
     */
    @Test
    void aFieldWithoutItsPrerequisiteMakesTheFlowForeign() {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        var bare = f.buildMatch().setExact(MatchField.IPV4_DST,
                org.projectfloodlight.openflow.types.IPv4Address.of("10.0.0.1")).build();
        OFFlowStatsEntry entry = f.buildFlowStatsEntry().setMatch(bare).setPriority(5).setCookie(U64.of(1))
                .setInstructions(List.of()).build();
        OFFlowStatsReply reply = (OFFlowStatsReply) reparse(f.buildFlowStatsReply().setXid(8)
                .setEntries(List.of(entry)).build());
        assertThat(FlowTranslator.parse(reply.getEntries().get(0))).isEmpty();
    }

    @Test
    void maskedFieldsKeepTheirMasks() {
        FlowRule r = new FlowRule(1, 9, new Match(List.of(new FieldMatch(Field.METADATA, 0x10L, 0xf0L),
                new FieldMatch(Field.ETH_TYPE, EthType.IPV4, 0xffff),
                new FieldMatch(Field.IPV4_DST, 0x0a000000L, 0xffffff00L))), List.of(), 0);
        assertThat(roundTrip(OFFactories.getFactory(OFVersion.OF_14), r)).isEqualTo(r);
    }

    @Test
    void fullMasksBecomeExactMatches() {
        FlowRule r = new FlowRule(0, 1, new Match(List.of(new FieldMatch(Field.ETH_TYPE, EthType.IPV4, 0xffff),
                new FieldMatch(Field.IPV4_DST, 0x0a000001L, 0xffffffffL))), List.of(), 0);
        var m = new FlowTranslator(OFFactories.getFactory(OFVersion.OF_13)).match(r.match());
        assertThat(m.isExact(MatchField.IPV4_DST)).isTrue();
        assertThat(roundTrip(OFFactories.getFactory(OFVersion.OF_13), r)).isEqualTo(r);
    }

    /** OpenFlow 1.0: FlowRule -> OFFlowAdd bytes -> flow-stats reply bytes (actions, no instructions) -> FlowRule. */
    @Test
    void plainSwitchFlowsRoundTripThroughOpenFlow10() {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_10);
        List<FlowRule> rules = List.of(
                new FlowRule(0, 1000, Match.builder().exact(Field.ETH_TYPE, 0x88cc).build(),
                        List.of(Instruction.apply(Action.output(Action.PORT_CONTROLLER))), 0x57464e0000000001L),
                new FlowRule(0, 400, Match.builder().exact(Field.IN_PORT, 3).exact(Field.ETH_SRC, 0x0200_0000_0001L)
                        .exact(Field.ETH_DST, 0x0200_0000_0002L).build(),
                        List.of(Instruction.apply(Action.output(7))), 2),
                new FlowRule(0, 200, Match.builder().exact(Field.IN_PORT, 65_279).build(),
                        List.of(Instruction.apply(Action.output(Action.PORT_CONTROLLER), Action.output(1),
                                Action.output(2))), 3),
                new FlowRule(0, 0, Match.ANY, List.of(), 4));
        for (FlowRule rule : rules) {
            OFFlowAdd add = (OFFlowAdd) reparse(new FlowTranslator(f).add(rule, 7));
            OFFlowStatsEntry entry = f.buildFlowStatsEntry().setTableId(org.projectfloodlight.openflow.types.TableId
                    .of(0)).setPriority(add.getPriority()).setCookie(add.getCookie()).setMatch(add.getMatch())
                    .setActions(add.getActions()).build();
            OFFlowStatsReply reply = (OFFlowStatsReply) reparse(f.buildFlowStatsReply().setXid(8)
                    .setEntries(List.of(entry)).build());
            assertThat(FlowTranslator.parse(reply.getEntries().get(0))).contains(rule);
        }
    }

    @Test
    void anOpenFlow10FlowOnFieldsWeftDoesNotUseThereIsForeign() {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_10);
        OFFlowStatsEntry entry = f.buildFlowStatsEntry().setTableId(org.projectfloodlight.openflow.types.TableId.of(0))
                .setPriority(7).setMatch(f.buildMatch().setExact(MatchField.ETH_TYPE,
                        org.projectfloodlight.openflow.types.EthType.IPv4).setExact(MatchField.IPV4_SRC,
                        org.projectfloodlight.openflow.types.IPv4Address.of("10.0.0.1")).build())
                .setActions(List.of()).build();
        assertThat(FlowTranslator.parse(entry)).isEmpty();
    }

    @Test
    void openFlow10RefusesWhatItCannotExpress() {
        FlowTranslator t = new FlowTranslator(OFFactories.getFactory(OFVersion.OF_10));
        List<FlowRule> refused = List.of(
                new FlowRule(1, 1, Match.ANY, List.of(), 1),
                new FlowRule(0, 1, Match.ANY, List.of(Instruction.gotoTable(1)), 1),
                new FlowRule(0, 1, Match.builder().exact(Field.TUNNEL_ID, 5).build(), List.of(), 1),
                new FlowRule(0, 1, Match.builder().masked(Field.ETH_DST, 0x0100_0000_0000L, 0x0100_0000_0000L)
                        .build(), List.of(), 1),
                new FlowRule(0, 1, Match.ANY, List.of(Instruction.apply(Action.set(Field.ETH_DST, 1))), 1));
        for (FlowRule r : refused) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.add(r, 1))
                    .as("%s", r).isInstanceOf(UnsupportedByVersionException.class)
                    .hasMessageStartingWith("OpenFlow 1.0 cannot express");
        }
    }
}
