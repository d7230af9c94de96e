package io.weft.model.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A flow's match: at most one {@link FieldMatch} per field, kept sorted by field. OpenFlow 1.3 prerequisites are
 * checked on construction (ARP fields need eth_type ARP, IPv4 fields need eth_type IPv4, ICMP needs ip_proto 1),
 * so a match that a switch would reject as BAD_PREREQ cannot be built.
 */
public final class Match {

    public static final Match ANY = new Match(List.of());

    private final List<FieldMatch> fields;
    /** Kept: a match is hashed every time its flow is looked up in a switch's table. */
    private final int hash;

    public Match(List<FieldMatch> fields) {
        // Sorted by field and checked in place: every flow compiled or read back builds one, so no map per match.
        FieldMatch[] sorted = fields.toArray(new FieldMatch[0]);
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].field() == sorted[i - 1].field()) {
                throw new IllegalArgumentException("field " + sorted[i].field() + " is matched twice");
            }
        }
        this.fields = List.of(sorted);
        this.hash = this.fields.hashCode();
        checkPrerequisites(this.fields);
    }

    /** Sorted by field. */
    public List<FieldMatch> fields() {
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Match m && hash == m.hash && fields.equals(m.fields);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "Match" + fields;
    }

    private static void checkPrerequisites(List<FieldMatch> m) {
        for (FieldMatch fm : m) {
            Field f = fm.field();
            switch (f) {
                case ARP_OP, ARP_SPA, ARP_TPA, ARP_SHA, ARP_THA -> requireExact(m, f, Field.ETH_TYPE, EthType.ARP);
                case IPV4_SRC, IPV4_DST, IP_PROTO -> requireExact(m, f, Field.ETH_TYPE, EthType.IPV4);
                case ICMPV4_TYPE, ICMPV4_CODE -> requireExact(m, f, Field.IP_PROTO, EthType.IP_PROTO_ICMP);
                case UDP_DST -> requireExact(m, f, Field.IP_PROTO, EthType.IP_PROTO_UDP);
                case TCP_DST -> requireExact(m, f, Field.IP_PROTO, EthType.IP_PROTO_TCP);
                default -> {
                }
            }
        }
    }

    private static void requireExact(List<FieldMatch> m, Field f, Field prereq, long value) {
        FieldMatch p = find(m, prereq);
        if (p == null || !p.isExact() || p.value() != value) {
            throw new IllegalArgumentException("matching " + f + " requires " + prereq + "=0x" + Long.toHexString(value));
        }
    }

    private static FieldMatch find(List<FieldMatch> fields, Field field) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).field() == field) {
                return fields.get(i);
            }
        }
        return null;
    }

    public Optional<FieldMatch> get(Field field) {
        return Optional.ofNullable(find(fields, field));
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
