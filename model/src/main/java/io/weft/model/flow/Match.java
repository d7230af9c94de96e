package io.weft.model.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A flow's match: at most one {@link FieldMatch} per field, kept sorted by field. OpenFlow 1.3 prerequisites are
 * checked on construction (ARP fields need eth_type ARP, IPv4 fields need eth_type IPv4, ICMP needs ip_proto 1),
 * so a match that a switch would reject as BAD_PREREQ cannot be built.
 *
 * <p>Packed: a controller holds every host's flows, several matches per endpoint, so a match keeps which fields it
 * has as a bit set and their values (then the masks of the masked fields only) in one {@code long[]}, rather than
 * one {@link FieldMatch} object per field. {@link #fields()} builds the field list on demand.
 */
public final class Match {

    public static final Match ANY = new Match(List.of());

    private static final Field[] FIELDS = Field.values();

    static {
        if (FIELDS.length > Integer.SIZE) {
            throw new ExceptionInInitializerError("Match keeps its fields as bits of an int");
        }
    }

    /** Bit {@code f.ordinal()} set for each field matched. */
    private final int fieldBits;
    /** Bit {@code f.ordinal()} set for each field matched with less than a full mask. */
    private final int maskedBits;
    /** The values of the matched fields in field order, then the masks of the masked fields in field order. */
    private final long[] words;
    /** Kept: a match is hashed every time its flow is looked up in a switch's table. */
    private final int hash;

    public Match(List<FieldMatch> fields) {
        // Sorted by field and checked in place: every flow compiled or read back builds one, so no map per match.
        FieldMatch[] sorted = fields.toArray(new FieldMatch[0]);
        Arrays.sort(sorted);
        int bits = 0;
        int masked = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i > 0 && sorted[i].field() == sorted[i - 1].field()) {
                throw new IllegalArgumentException("field " + sorted[i].field() + " is matched twice");
            }
            bits |= 1 << sorted[i].field().ordinal();
            if (!sorted[i].isExact()) {
                masked |= 1 << sorted[i].field().ordinal();
            }
        }
        long[] w = new long[sorted.length + Integer.bitCount(masked)];
        int m = sorted.length;
        for (int i = 0; i < sorted.length; i++) {
            w[i] = sorted[i].value();
            if (!sorted[i].isExact()) {
                w[m++] = sorted[i].mask();
            }
        }
        this.fieldBits = bits;
        this.maskedBits = masked;
        this.words = w;
        this.hash = 31 * (31 * bits + masked) + Arrays.hashCode(w);
        checkPrerequisites();
    }

    /** Sorted by field (built on each call). */
    public List<FieldMatch> fields() {
        FieldMatch[] list = new FieldMatch[Integer.bitCount(fieldBits)];
        int i = 0;
        for (int bits = fieldBits; bits != 0; bits &= bits - 1) {
            list[i++] = fieldMatch(FIELDS[Integer.numberOfTrailingZeros(bits)]);
        }
        return List.of(list);
    }

    /** How many fields are matched. */
    public int size() {
        return Integer.bitCount(fieldBits);
    }

    /** Whether {@code field} is matched (exactly or masked). */
    public boolean has(Field field) {
        return (fieldBits & bit(field)) != 0;
    }

    public Optional<FieldMatch> get(Field field) {
        return has(field) ? Optional.of(fieldMatch(field)) : Optional.empty();
    }

    private FieldMatch fieldMatch(Field field) {
        return new FieldMatch(field, value(field), mask(field));
    }

    /** The value of a matched field. */
    private long value(Field field) {
        return words[Integer.bitCount(fieldBits & (bit(field) - 1))];
    }

    /** The mask of a matched field. */
    private long mask(Field field) {
        if ((maskedBits & bit(field)) == 0) {
            return field.fullMask();
        }
        return words[Integer.bitCount(fieldBits) + Integer.bitCount(maskedBits & (bit(field) - 1))];
    }

    private static int bit(Field field) {
        return 1 << field.ordinal();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Match m && hash == m.hash && fieldBits == m.fieldBits
                && maskedBits == m.maskedBits && Arrays.equals(words, m.words);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "Match" + fields();
    }

    private void checkPrerequisites() {
        for (int bits = fieldBits; bits != 0; bits &= bits - 1) {
            Field f = FIELDS[Integer.numberOfTrailingZeros(bits)];
            switch (f) {
                case ARP_OP, ARP_SPA, ARP_TPA, ARP_SHA, ARP_THA -> requireExact(f, Field.ETH_TYPE, EthType.ARP);
                case IPV4_SRC, IPV4_DST, IP_PROTO -> requireExact(f, Field.ETH_TYPE, EthType.IPV4);
                case ICMPV4_TYPE, ICMPV4_CODE -> requireExact(f, Field.IP_PROTO, EthType.IP_PROTO_ICMP);
                case UDP_DST -> requireExact(f, Field.IP_PROTO, EthType.IP_PROTO_UDP);
                case TCP_DST -> requireExact(f, Field.IP_PROTO, EthType.IP_PROTO_TCP);
                default -> {
                }
            }
        }
    }

    private void requireExact(Field f, Field prereq, long value) {
        if (!isExactly(prereq, value)) {
            throw new IllegalArgumentException("matching " + f + " requires " + prereq + "=0x" + Long.toHexString(value));
        }
    }

    /** Whether {@code field} is matched exactly to {@code value}. */
    public boolean isExactly(Field field, long value) {
        return has(field) && (maskedBits & bit(field)) == 0 && value(field) == value;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects fields in any order; {@link #build()} canonicalises. */
    public static final class Builder {
        private final List<FieldMatch> fields = new ArrayList<>();

        public Builder exact(Field field, long value) {
            fields.add(FieldMatch.exact(field, value));
            return this;
        }

        public Builder masked(Field field, long value, long mask) {
            fields.add(new FieldMatch(field, value, mask));
            return this;
        }

        public Match build() {
            return new Match(fields);
        }
    }
}
