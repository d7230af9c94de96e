package io.weft.model.flow;

import java.nio.charset.StandardCharsets;

/**
 * Flow cookies name the object that produced a flow, so that an operator can trace any flow in
 * {@code ovs-ofctl dump-flows} back to its owner and Weft can remove all of an owner's flows with one masked delete.
 *
 * <pre>
 *  63            48 47   44 43                                   0
 * +----------------+-------+--------------------------------------+
 * | app id 0x5746  | kind  | 44-bit FNV-1a hash of the owner key  |
 * +----------------+-------+--------------------------------------+
 * </pre>
 *
 * The hash is of a stable key (host name, network name, {@code network/endpoint}), so the same object always gets
 * the same cookie, on every host and across controller restarts.
 */
public final class Cookies {

    /** "WF": every flow Weft installs carries it in the high 16 bits. */
    public static final long APP_ID = 0x5746L;
    public static final long APP_MASK = 0xffffL << 48;
    public static final long OWNER_MASK = -1L;

    /** Who produced a flow. */
    public enum Kind {
        /** Pipeline skeleton: table-miss drops, classifier defaults. */
        PIPELINE(1),
        /** Per host: tunnel ingress. */
        HOST(2),
        /** Per network: gateway, ARP for gateways, VNI acceptance. */
        NETWORK(3),
        /** Per endpoint: port security, delivery, ARP, routes to it. */
        ENDPOINT(4),
        /** On plain OpenFlow switches (not a host's br-int): discovery, learning, paths to learned hosts, flooding. */
        PLAIN(5);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("cookie kind " + code + " is not Weft's");
        }
    }

    /** The cookie of the pipeline's own flows (table-miss flows). */
    public static final long PIPELINE = of(Kind.PIPELINE, "pipeline");

    private Cookies() {
    }

    public static long of(Kind kind, String ownerKey) {
        return (APP_ID << 48) | ((long) kind.code() << 44) | (fnv1a64(ownerKey) & 0xfff_ffff_ffffL);
    }

    public static boolean isWeft(long cookie) {
        return (cookie >>> 48) == APP_ID;
    }

    public static Kind kind(long cookie) {
        return Kind.ofCode((int) ((cookie >>> 44) & 0xf));
    }

    /** The mask that selects all flows of one kind, for a cookie-masked delete. */
    public static long kindMask() {
        return 0xfffffL << 44;
    }

    static long fnv1a64(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
