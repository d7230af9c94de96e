package io.weft.model.flow;

/**
 * One field of a match. {@code mask} is normalised to the field's width; a full mask means an exact match.
 * Value bits outside the mask are rejected, as OpenFlow switches reject them.
 */
public record FieldMatch(Field field, long value, long mask) implements Comparable<FieldMatch> {

    public FieldMatch {
        if (field == null) {
            throw new IllegalArgumentException("match field is missing");
        }
        mask &= field.fullMask();
        if (mask == 0) {
            throw new IllegalArgumentException(field + ": an all-zero mask matches everything; omit the field instead");
        }
        if ((value & ~mask) != 0) {
            throw new IllegalArgumentException(field + ": value 0x" + Long.toHexString(value)
                    + " has bits outside mask 0x" + Long.toHexString(mask));
        }
    }

    public static FieldMatch exact(Field field, long value) {
        return new FieldMatch(field, value, field.fullMask());
    }

    public boolean isExact() {
        return mask == field.fullMask();
    }

    public boolean matches(long packetValue) {
        return (packetValue & mask) == value;
    }

    @Override
    public int compareTo(FieldMatch o) {
        return field.compareTo(o.field);
    }
}
