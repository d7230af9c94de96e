package io.weft.model.flow;

import java.util.List;

/**
 * OpenFlow 1.3 instructions. {@link #order()} is the execution order the spec fixes (and the order OVS reports),
 * so a flow's instruction list can be kept canonical.
 */
public sealed interface Instruction
        permits Instruction.Meter, Instruction.ApplyActions, Instruction.WriteMetadata, Instruction.GotoTable {

    int order();

    /** OFPIT_METER: the packet passes the meter (which may drop it) before anything else in the flow. */
    record Meter(long meterId) implements Instruction {
        public Meter {
            if (meterId < 1 || meterId > 0xffff_0000L) {
                throw new IllegalArgumentException("meter id " + meterId + " is outside 1..0xffff0000");
            }
        }

        @Override
        public int order() {
            return -1;
        }
    }

    record ApplyActions(List<Action> actions) implements Instruction {
        public ApplyActions {
            actions = List.copyOf(actions);
        }

        @Override
        public int order() {
            return 0;
        }
    }

    record WriteMetadata(long value, long mask) implements Instruction {
        public WriteMetadata {
            if ((value & ~mask) != 0) {
                throw new IllegalArgumentException("write-metadata value has bits outside its mask");
            }
        }

        @Override
        public int order() {
            return 1;
        }
    }

    record GotoTable(int tableId) implements Instruction {
        public GotoTable {
            if (tableId < 1 || tableId > 254) {
                throw new IllegalArgumentException("goto-table " + tableId + " is outside 1..254");
            }
        }

        @Override
        public int order() {
            return 2;
        }
    }

    static ApplyActions apply(Action... actions) {
        return new ApplyActions(List.of(actions));
    }

    static ApplyActions apply(List<Action> actions) {
        return new ApplyActions(actions);
    }

    static Meter meter(long meterId) {
        return new Meter(meterId);
    }

    /** The same instance for the same table (a fabric's rules hold tens of thousands of them). */
    static GotoTable gotoTable(int tableId) {
        return SharedValues.gotoTable(tableId);
    }

    static WriteMetadata writeMetadata(long value, long mask) {
        return new WriteMetadata(value, mask);
    }
}
