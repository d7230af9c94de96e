package io.weft.southbound;

/** OpenFlow controller roles, for several controllers sharing one switch. */
public enum Role { EQUAL, MASTER, SLAVE }
