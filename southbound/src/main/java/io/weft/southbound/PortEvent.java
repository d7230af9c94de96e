package io.weft.southbound;

/** An OFPT_PORT_STATUS: a port appeared, went away or changed (for example its link went down). */
public record PortEvent(Type type, PortInfo port) {
    public enum Type { ADDED, REMOVED, MODIFIED }
}
