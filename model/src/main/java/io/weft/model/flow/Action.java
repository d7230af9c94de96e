package io.weft.model.flow;

import java.util.List;

/** The OpenFlow 1.3 actions Weft's pipeline uses. */
public sealed interface Action permits Action.Output, Action.SetField, Action.DecNwTtl, Action.Group {

    /** OFPP_IN_PORT: send back out of the port the packet came in on. */
    long PORT_IN_PORT = 0xffff_fff8L;
    /** OFPP_CONTROLLER. */
    long PORT_CONTROLLER = 0xffff_fffdL;

    record Output(long port) implements Action {
        public Output {
            if (port <= 0 || port > 0xffff_ffffL) {
                throw new IllegalArgumentException("output port " + port + " is not an OpenFlow port number");
            }
        }
    }

    record SetField(Field field, long value) implements Action {
        public SetField {
            if (field == null || field == Field.IN_PORT || field == Field.METADATA) {
                throw new IllegalArgumentException("cannot set-field " + field + "; use write-metadata for metadata");
            }
            if ((value & ~field.fullMask()) != 0) {
                throw new IllegalArgumentException("set-field " + field + ": value 0x" + Long.toHexString(value)
                        + " is wider than the field");
            }
        }
    }

    /** OFPAT_DEC_NW_TTL: the router's TTL decrement; the switch drops the packet when TTL reaches zero. */
    record DecNwTtl() implements Action {
    }

    /** OFPAT_GROUP: the packet goes through group {@code groupId} (see {@link FailoverGroup}). */
    record Group(long groupId) implements Action {
        public Group {
            if (groupId < 0 || groupId > FailoverGroup.MAX_ID) {
                throw new IllegalArgumentException("group id " + groupId + " is outside 0..0xffffff00");
            }
        }
    }

    /** The same instance for the same port below 4096 and for the reserved ports (rules hold many of them). */
    static Output output(long port) {
        return SharedValues.output(port);
    }

    static Group group(long groupId) {
        return new Group(groupId);
    }

    static SetField set(Field field, long value) {
        return new SetField(field, value);
    }

    static List<Action> list(Action... actions) {
        return List.of(actions);
    }
}
