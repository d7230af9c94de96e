package io.weft.flows;

import io.weft.model.flow.Field;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One stage of the pipeline, declared as data: what it is for, which fields its flows may match and set, and which
 * tables it may continue to. {@link Pipeline#validate} checks every compiled flow against it.
 *
 * @param name     stable name used by tests, docs and traces (numbers may change)
 * @param number   OpenFlow table id
 * @param purpose  one sentence for operators
 * @param matches  fields its flows may match
 * @param sets     fields its flows may set-field
 * @param gotos    names of the tables its flows may goto (all later in the pipeline)
 * @param effects  the other instructions and actions its flows may use
 */
public record Table(String name, int number, String purpose, Set<Field> matches, Set<Field> sets, Set<String> gotos,
                    Set<Effect> effects) {

    /** Instructions and actions other than set-field and goto-table. */
    public enum Effect {
        WRITE_METADATA, OUTPUT, DEC_TTL,
        /** Send to the controller (OFPP_CONTROLLER), through a meter: the only way a packet reaches the controller. */
        PUNT
    }

    public Table {
        // Enum sets: validate() asks them for every compiled flow.
        matches = Collections.unmodifiableSet(matches.isEmpty() ? EnumSet.noneOf(Field.class) : EnumSet.copyOf(matches));
        sets = Collections.unmodifiableSet(sets.isEmpty() ? EnumSet.noneOf(Field.class) : EnumSet.copyOf(sets));
        gotos = Set.copyOf(gotos);
        effects = Collections.unmodifiableSet(effects.isEmpty() ? EnumSet.noneOf(Effect.class) : EnumSet.copyOf(effects));
    }
}
