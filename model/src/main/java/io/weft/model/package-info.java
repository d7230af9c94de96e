/**
 * Weft's shared vocabulary: immutable, validated records for the intent (hosts, networks, subnets,
 * endpoints), the snapshot the compilers read, and the desired switch state they produce
 * ({@link io.weft.model.ovs} for OVSDB rows, {@link io.weft.model.flow} for OpenFlow rules).
 *
 * <p>Every constructor validates its arguments and throws {@link java.lang.IllegalArgumentException}
 * with a message meant for the user who sent the bad value.
 */
package io.weft.model;
