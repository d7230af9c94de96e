package io.weft.southbound;

import io.weft.model.flow.Field;
import io.weft.model.flow.FieldMatch;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.oxm.OFOxms;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/** Converts each model {@link Field} to and from its openflowj OXM type, with values carried as longs. */
final class OxmCodec<F extends OFValueType<F>> {

    private static final Map<Field, OxmCodec<?>> BY_FIELD = new EnumMap<>(Field.class);
    private static final Map<MatchField<?>, Field> BY_MATCH_FIELD = new HashMap<>();

    static {
        put(Field.IN_PORT, MatchField.IN_PORT, v -> OFPort.of((int) v), p -> p.getPortNumber() & 0xffff_ffffL);
        put(Field.METADATA, MatchField.METADATA, v -> OFMetadata.of(U64.of(v)), m -> m.getValue().getValue());
        put(Field.TUNNEL_ID, MatchField.TUNNEL_ID, U64::of, U64::getValue);
        put(Field.ETH_DST, MatchField.ETH_DST, MacAddress::of, MacAddress::getLong);
        put(Field.ETH_SRC, MatchField.ETH_SRC, MacAddress::of, MacAddress::getLong);
        put(Field.ETH_TYPE, MatchField.ETH_TYPE, v -> EthType.of((int) v), e -> e.getValue() & 0xffffL);
        put(Field.ARP_OP, MatchField.ARP_OP, v -> ArpOpcode.of((int) v), a -> a.getOpcode() & 0xffffL);
        put(Field.ARP_SPA, MatchField.ARP_SPA, v -> IPv4Address.of((int) v), a -> a.getInt() & 0xffff_ffffL);
        put(Field.ARP_TPA, MatchField.ARP_TPA, v -> IPv4Address.of((int) v), a -> a.getInt() & 0xffff_ffffL);
        put(Field.ARP_SHA, MatchField.ARP_SHA, MacAddress::of, MacAddress::getLong);
        put(Field.ARP_THA, MatchField.ARP_THA, MacAddress::of, MacAddress::getLong);
        put(Field.IPV4_SRC, MatchField.IPV4_SRC, v -> IPv4Address.of((int) v), a -> a.getInt() & 0xffff_ffffL);
        put(Field.IPV4_DST, MatchField.IPV4_DST, v -> IPv4Address.of((int) v), a -> a.getInt() & 0xffff_ffffL);
        put(Field.IP_PROTO, MatchField.IP_PROTO, v -> IpProtocol.of((short) v), p -> p.getIpProtocolNumber() & 0xffL);
        put(Field.ICMPV4_TYPE, MatchField.ICMPV4_TYPE, v -> ICMPv4Type.of((short) v), t -> t.getType() & 0xffL);
        put(Field.UDP_DST, MatchField.UDP_DST, v -> TransportPort.of((int) v), p -> p.getPort() & 0xffffL);
        put(Field.TCP_DST, MatchField.TCP_DST, v -> TransportPort.of((int) v), p -> p.getPort() & 0xffffL);
        put(Field.ICMPV4_CODE, MatchField.ICMPV4_CODE, v -> ICMPv4Code.of((short) v), c -> c.getCode() & 0xffL);
    }

    private final Field field;
    private final MatchField<F> matchField;
    private final LongFunction<F> toOf;
    private final ToLongFunction<F> fromOf;

    private OxmCodec(Field field, MatchField<F> matchField, LongFunction<F> toOf, ToLongFunction<F> fromOf) {
        this.field = field;
        this.matchField = matchField;
        this.toOf = toOf;
        this.fromOf = fromOf;
    }

    private static <F extends OFValueType<F>> void put(Field field, MatchField<F> mf, LongFunction<F> toOf,
            ToLongFunction<F> fromOf) {
        BY_FIELD.put(field, new OxmCodec<>(field, mf, toOf, fromOf));
        BY_MATCH_FIELD.put(mf, field);
    }

    static OxmCodec<?> of(Field field) {
        OxmCodec<?> codec = BY_FIELD.get(field);
        if (codec == null) {
            throw new IllegalArgumentException("no OXM mapping for " + field);
        }
        return codec;
    }

    /** The model field for an openflowj match field, or null when Weft does not model it (a foreign flow). */
    static Field fieldOf(MatchField<?> mf) {
        return BY_MATCH_FIELD.get(mf);
    }

    Field field() {
        return field;
    }

    void addTo(Match.Builder builder, long value, long mask) {
        if (mask == field.fullMask()) {
            builder.setExact(matchField, toOf.apply(value));
        } else {
            builder.setMasked(matchField, toOf.apply(value), toOf.apply(mask));
        }
    }

    OFOxm<F> oxm(OFOxms oxms, long value) {
        return oxms.fromValue(toOf.apply(value), matchField);
    }

    /** Value and mask of this field in an openflowj match, as {@code long[]{value, mask}}. */
    long[] read(Match match) {
        if (match.isExact(matchField)) {
            return new long[] {fromOf.applyAsLong(match.get(matchField)), field.fullMask()};
        }
        var masked = match.getMasked(matchField);
        return new long[] {fromOf.applyAsLong(masked.getValue()), fromOf.applyAsLong(masked.getMask())};
    }

    /** This field's value and mask in {@code oxm} (of this field), as the switch sent them. */
    @SuppressWarnings("unchecked")
    FieldMatch fieldMatch(OFOxm<?> oxm) {
        long value = fromOf.applyAsLong((F) oxm.getValue());
        return new FieldMatch(field, value, oxm.isMasked() ? fromOf.applyAsLong((F) oxm.getMask()) : field.fullMask());
    }

    @SuppressWarnings("unchecked")
    long valueOf(OFOxm<?> oxm) {
        return fromOf.applyAsLong((F) oxm.getValue());
    }
}
