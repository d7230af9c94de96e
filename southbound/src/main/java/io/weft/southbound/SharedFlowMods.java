package io.weft.southbound;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.weft.model.flow.FlowRule;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Flow-mods encoded once per OpenFlow version and shared by the switches of one server or connector. The compiler
 * shares the rules that are the same on every host (a remote endpoint's flows: tunnel ports have the same number
 * everywhere), so a batch that goes to ten switches was translated and encoded ten times; here the first switch's
 * send encodes a rule's add, modify or delete and the others copy its bytes with their own xid.
 *
 * <p>Found by the rule's identity (shared rules are one instance; equal copies are only encoded again). Bounded:
 * two generations of {@value #GENERATION} rules each, the older dropped when the newer fills, enough for the
 * switches of one reconciler step to find what the first one encoded. Thread-safe (sends come from any thread).
 */
final class SharedFlowMods {

    /** Rules per generation. */
    static final int GENERATION = 512;

    /** What a rule-based flow-mod does; each is its own message. */
    private enum Kind { ADD, MODIFY_STRICT, DELETE_STRICT }

    private final Map<OFVersion, Encodings> byVersion = new EnumMap<>(OFVersion.class);

    /** The encoding of {@code mod} for a switch speaking {@code translator}'s version: bytes with xid 0. */
    byte[] encode(FlowTranslator translator, FlowMod mod) {
        if (mod instanceof FlowMod.DeleteForeign d) {
            // A flow read from one switch: nothing to share.
            return bytes(translator.deleteStrict(d.flow().tableId(), d.flow().priority(), d.flow().match(), 0));
        }
        Kind kind;
        FlowRule rule;
        if (mod instanceof FlowMod.AddFlow a) {
            kind = Kind.ADD;
            rule = a.rule();
        } else if (mod instanceof FlowMod.ModifyFlow m) {
            // ADD of an existing key replaces it whole, cookie included, in one step; MODIFY_STRICT keeps counters.
            kind = m.cookieChanged() ? Kind.ADD : Kind.MODIFY_STRICT;
            rule = m.rule();
        } else if (mod instanceof FlowMod.DeleteFlow d) {
            kind = Kind.DELETE_STRICT;
            rule = d.rule();
        } else {
            throw new IllegalStateException("unknown change " + mod);
        }
        Encodings e;
        synchronized (this) {
            e = byVersion.computeIfAbsent(translator.factory().getVersion(), v -> new Encodings());
            byte[] known = e.get(kind, rule);
            if (known != null) {
                return known;
            }
        }
        // Encoded outside the lock: two switches may both encode a rule, and keep the same bytes.
        byte[] encoded = bytes(message(translator, kind, rule));
        synchronized (this) {
            e.put(kind, rule, encoded);
        }
        return encoded;
    }

    /** The message a switch gets for {@code encoded} ({@link #encode}) under {@code xid}. */
    static OFMessage message(OFFactory factory, byte[] encoded, long xid) {
        return new EncodedMessage(factory.getVersion(), OFType.FLOW_MOD, encoded, xid);
    }

    private static OFMessage message(FlowTranslator translator, Kind kind, FlowRule rule) {
        return switch (kind) {
            case ADD -> translator.add(rule, 0);
            case MODIFY_STRICT -> translator.modifyStrict(rule, 0);
            case DELETE_STRICT -> translator.deleteStrict(rule, 0);
        };
    }

    private static byte[] bytes(OFMessage m) {
        ByteBuf buf = Unpooled.buffer(256);
        m.writeTo(buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /** One version's encodings, by kind and rule identity, in two generations. */
    private static final class Encodings {
        private Map<FlowRule, byte[][]> newer = new IdentityHashMap<>();
        private Map<FlowRule, byte[][]> older = new IdentityHashMap<>();

        byte[] get(Kind kind, FlowRule rule) {
            byte[][] known = newer.get(rule);
            if (known == null) {
                known = older.get(rule);
            }
            return known == null ? null : known[kind.ordinal()];
        }

        void put(Kind kind, FlowRule rule, byte[] encoded) {
            byte[][] known = newer.get(rule);
            if (known == null) {
                if (newer.size() == GENERATION) {
                    older = newer;
                    newer = new IdentityHashMap<>();
                }
                known = older.getOrDefault(rule, new byte[Kind.values().length][]);
                newer.put(rule, known);
            }
            known[kind.ordinal()] = encoded;
        }
    }
}
