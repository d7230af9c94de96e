package io.weft.controller.plain;

/**
 * A cable between two switch ports. Links are taken as bidirectional (an LLDP frame seen one way proves the cable),
 * so a link is kept in one canonical orientation: {@code a} is the smaller end.
 */
public record Link(PortRef a, PortRef b) implements Comparable<Link> {

    public Link {
        if (a.equals(b)) {
            throw new IllegalArgumentException("a link joins two different ports, not " + a + " to itself");
        }
        if (a.compareTo(b) > 0) {
            PortRef t = a;
            a = b;
            b = t;
        }
    }

    public boolean touches(PortRef p) {
        return a.equals(p) || b.equals(p);
    }

    public boolean touchesSwitch(long dpid) {
        return a.dpid() == dpid || b.dpid() == dpid;
    }

    /** The end of this link on the other side of {@code end}. */
    public PortRef peer(PortRef end) {
        return a.equals(end) ? b : a;
    }

    @Override
    public int compareTo(Link o) {
        int c = a.compareTo(o.a);
        return c != 0 ? c : b.compareTo(o.b);
    }
}
