package io.weft.flows;

import io.weft.model.Encapsulation;

/**
 * The OpenFlow metadata register carries the packet's network and origin through the pipeline:
 *
 * <pre>
 *  bit 33: arrived on a GRE tunnel (set with bit 32)
 *  bit 32: arrived on a tunnel (so it is only delivered locally: split horizon)
 *  bits 0-23: the network's VNI
 * </pre>
 */
public final class Metadata {

    public static final long VNI_MASK = 0xff_ffffL;
    public static final long FROM_TUNNEL = 1L << 32;
    public static final long GRE = 1L << 33;
    /** Everything Weft writes: the classifier of a local port clears the origin bits explicitly. */
    public static final long ALL = VNI_MASK | FROM_TUNNEL | GRE;
    /** A VNI with the origin bit: matches packets of the network that came from a local port only. */
    public static final long LOCAL_ORIGIN_MASK = VNI_MASK | FROM_TUNNEL;
    public static final long ORIGIN_MASK = FROM_TUNNEL | GRE;

    private Metadata() {
    }

    /** What a tunnel port's classifier flow writes (under {@link #ORIGIN_MASK}). */
    public static long tunnelOrigin(Encapsulation encapsulation) {
        return encapsulation == Encapsulation.GRE ? FROM_TUNNEL | GRE : FROM_TUNNEL;
    }
}
