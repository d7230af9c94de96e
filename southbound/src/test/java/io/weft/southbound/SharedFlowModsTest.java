package io.weft.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.weft.model.flow.Action;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.BundleId;

/**
 * A flow-mod encoded once and shared is, on every switch, the bytes openflowj writes for that switch alone: its own
 * xid, its own bundle, its own version.
 */
class SharedFlowModsTest {

    /** What a switch got before the encodings were shared: openflowj's message built for it, wrapped for 1.4. */
    private static byte[] perSwitch(FlowTranslator t, FlowMod mod, long xid, BundleId bundle) {
        OFMessage m;
        if (mod instanceof FlowMod.AddFlow a) {
            m = t.add(a.rule(), xid);
        } else if (mod instanceof FlowMod.ModifyFlow c) {
            m = c.cookieChanged() ? t.add(c.rule(), xid) : t.modifyStrict(c.rule(), xid);
        } else if (mod instanceof FlowMod.DeleteFlow d) {
            m = t.deleteStrict(d.rule(), xid);
        } else {
            ForeignFlow f = ((FlowMod.DeleteForeign) mod).flow();
            m = t.deleteStrict(f.tableId(), f.priority(), f.match(), xid);
        }
        OFFactory f = t.factory();
        return bytes(bundle == null ? m : f.buildBundleAddMsg().setXid(xid).setBundleId(bundle)
                .setFlags(java.util.EnumSet.of(OFBundleFlags.ATOMIC, OFBundleFlags.ORDERED)).setData(m).build());
    }

    private static byte[] shared(SharedFlowMods shared, FlowTranslator t, FlowMod mod, long xid, BundleId bundle) {
        return bytes(FlowProgrammer.message(t.factory(), shared.encode(t, mod), xid, bundle));
    }

    private static byte[] bytes(OFMessage m) {
        ByteBuf buf = Unpooled.buffer();
        m.writeTo(buf);
        return Arrays.copyOf(buf.array(), buf.writerIndex());
    }

    /** Every kind of change of each rule, and a foreign flow's delete. */
    private static List<FlowMod> changes(List<FlowRule> rules, OFFactory f) {
        List<FlowMod> mods = new ArrayList<>();
        for (FlowRule r : rules) {
            FlowRule otherCookie = new FlowRule(r.tableId(), r.priority(), r.match(), r.instructions(), ~r.cookie());
            FlowRule otherActions = new FlowRule(r.tableId(), r.priority(), r.match(), List.of(), r.cookie());
            mods.add(new FlowMod.AddFlow(r));
            mods.add(new FlowMod.ModifyFlow(otherActions, r));
            mods.add(new FlowMod.ModifyFlow(otherCookie, r));
            mods.add(new FlowMod.DeleteFlow(r));
        }
        FlowRule first = rules.get(0);
        mods.add(new FlowMod.DeleteForeign(new ForeignFlow(first.tableId(), first.priority(), 9,
                new FlowTranslator(f).match(first.match()))));
        return mods;
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_13", "OF_14"})
    void everySwitchGetsTheBytesItsOwnTranslationWouldHaveMade(OFVersion v) {
        OFFactory f = OFFactories.getFactory(v);
        RandomFlows gen = new RandomFlows(11);
        List<FlowRule> rules = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rules.add(gen.flow());
        }
        assertSharedEqualsPerSwitch(f, changes(rules, f));
    }

    @Test
    void openFlow10SwitchesGetTheirOwnMessages() {
        OFFactory f10 = OFFactories.getFactory(OFVersion.OF_10);
        OFFactory f13 = OFFactories.getFactory(OFVersion.OF_13);
        List<FlowRule> rules = of10Rules();
        SharedFlowMods shared = new SharedFlowMods();
        FlowTranslator t13 = new FlowTranslator(f13);
        FlowTranslator t10 = new FlowTranslator(f10);
        for (FlowMod m : changes(rules, f10)) {
            if (!(m instanceof FlowMod.DeleteForeign)) {
                shared(shared, t13, m, 5, null);       // the same rules sent to a 1.3 switch first
            }
            byte[] got = shared(shared, t10, m, 6, null);
            assertThat(got[0]).as("version of %s", m).isEqualTo((byte) 1);
            assertThat(got).as("%s", m).isEqualTo(perSwitch(t10, m, 6, null));
        }
        assertSharedEqualsPerSwitch(f10, changes(rules, f10));
    }

    private static List<FlowRule> of10Rules() {
        Random r = new Random(3);
        List<FlowRule> rules = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rules.add(new FlowRule(0, r.nextInt(0x10000), Match.builder().exact(Field.IN_PORT, 1 + r.nextInt(100))
                    .exact(Field.ETH_SRC, r.nextLong() & 0xfeff_ffff_ffffL).exact(Field.ETH_DST,
                            r.nextLong() & 0xfeff_ffff_ffffL).build(),
                    List.of(Instruction.apply(Action.output(1 + r.nextInt(100)))), r.nextLong()));
        }
        return rules;
    }

    /**
     * Three switches of one version, each with its own xids (and bundle with 1.4), take the changes in turn through
     * one {@link SharedFlowMods}, as the reconciler sends one step's batches; each gets what openflowj would have
     * written for it alone, and the second and third reuse the first one's encoding of a rule.
     */
    private static void assertSharedEqualsPerSwitch(OFFactory f, List<FlowMod> mods) {
        SharedFlowMods shared = new SharedFlowMods();
        boolean bundled = f.getVersion().compareTo(OFVersion.OF_14) >= 0;
        for (int sw = 0; sw < 3; sw++) {
            FlowTranslator t = new FlowTranslator(f);   // each switch its own translator, as each connection has
            BundleId bundle = bundled ? BundleId.of(100 + sw) : null;
            long xid = 1000L * (sw + 1) + (sw == 2 ? 0xffff_0000L : 0);
            for (FlowMod m : mods) {
                xid++;
                byte[] encoded = shared.encode(t, m);
                if (sw > 0 && !(m instanceof FlowMod.DeleteForeign)) {
                    assertThat(shared.encode(t, m)).as("encoded once: %s", m).isSameAs(encoded);
                }
                assertThat(bytes(FlowProgrammer.message(f, encoded, xid, bundle))).as("switch %d: %s", sw, m)
                        .isEqualTo(perSwitch(t, m, xid, bundle));
            }
        }
    }

    @Test
    void anOlderGenerationIsDroppedAndEncodedAgainAsBefore() {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        FlowTranslator t = new FlowTranslator(f);
        SharedFlowMods shared = new SharedFlowMods();
        RandomFlows gen = new RandomFlows(5);
        FlowMod first = new FlowMod.AddFlow(gen.flow());
        byte[] encoded = shared.encode(t, first);
        for (int i = 0; i < 2 * SharedFlowMods.GENERATION; i++) {
            shared.encode(t, new FlowMod.AddFlow(gen.flow()));
        }
        byte[] again = shared.encode(t, first);
        assertThat(again).isNotSameAs(encoded).isEqualTo(encoded);
    }
}
