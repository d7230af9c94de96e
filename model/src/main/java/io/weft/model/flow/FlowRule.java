package io.weft.model.flow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One flow entry as Weft wants it on a switch. Two rules with the same {@link #key()} cannot coexist on a switch;
 * two equal rules are the same flow. A rule with no instructions drops what it matches. Rules are canonical, in the
 * form a switch reports them: instructions in execution order, no empty apply-actions (a switch stores that as no
 * instruction at all), so a desired rule equals the same rule read back from a switch.
 *
 * <p>A value class rather than a record so that it can keep its hash and stay small: every switch's tables are keyed
 * by flow key, and a fabric holds tens of thousands of rules, many shared by several switches.
 */
public final class FlowRule {

    // Table, priority and match rather than a FlowKey: one object less per rule (a key is made when asked for).
    private final short tableId;
    private final char priority;
    private final Match match;
    private final List<Instruction> instructions;
    private final long cookie;
    private final int hash;

    /** @param cookie names the object that produced the rule (see {@link Cookies}) */
    public FlowRule(int tableId, int priority, Match match, List<Instruction> instructions, long cookie) {
        if (tableId < 0 || tableId > 254) {
            throw new IllegalArgumentException("table " + tableId + " is outside 0..254");
        }
        if (priority < 0 || priority > 0xffff) {
            throw new IllegalArgumentException("priority " + priority + " is outside 0..65535");
        }
        if (match == null) {
            throw new IllegalArgumentException("match is missing; use Match.ANY");
        }
        List<Instruction> sorted = new ArrayList<>(instructions.size());
        for (Instruction i : instructions) {
            if (!(i instanceof Instruction.ApplyActions a && a.actions().isEmpty())) {
                sorted.add(i);
            }
        }
        sorted.sort(Comparator.comparingInt(Instruction::order));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).order() == sorted.get(i - 1).order()) {
                throw new IllegalArgumentException("instruction " + sorted.get(i).getClass().getSimpleName()
                        + " appears twice in one flow");
            }
        }
        this.tableId = (short) tableId;
        this.priority = (char) priority;
        this.match = match;
        this.instructions = List.copyOf(sorted);
        this.cookie = cookie;
        this.hash = 31 * (31 * FlowKey.hash(tableId, priority, match) + this.instructions.hashCode())
                + Long.hashCode(cookie);
        checkActionPrerequisites(match, this.instructions);
    }

    public int tableId() {
        return tableId;
    }

    public int priority() {
        return priority;
    }

    public Match match() {
        return match;
    }

    /** In execution order, without empty apply-actions. */
    public List<Instruction> instructions() {
        return instructions;
    }

    public long cookie() {
        return cookie;
    }

    /**
     * OpenFlow switches check an action's prerequisites against the flow's own match, not against what earlier tables
     * matched: set-field of an ARP field needs eth_type ARP in this flow's match, of an IPv4 field (and dec_ttl) needs
     * eth_type IPv4, of an ICMP field needs ip_proto ICMP. OVS rejects the flow otherwise (BAD_ACTION/MATCH_INCONSISTENT).
     */
    private static void checkActionPrerequisites(Match match, List<Instruction> instructions) {
        for (Instruction i : instructions) {
            if (!(i instanceof Instruction.ApplyActions apply)) {
                continue;
            }
            for (Action a : apply.actions()) {
                if (a instanceof Action.SetField set) {
                    switch (set.field()) {
                        case ARP_OP, ARP_SPA, ARP_TPA, ARP_SHA, ARP_THA ->
                                requireInMatch(match, a, Field.ETH_TYPE, EthType.ARP);
                        case IPV4_SRC, IPV4_DST, IP_PROTO -> requireInMatch(match, a, Field.ETH_TYPE, EthType.IPV4);
                        case ICMPV4_TYPE, ICMPV4_CODE -> requireInMatch(match, a, Field.IP_PROTO, EthType.IP_PROTO_ICMP);
                        default -> {
                        }
                    }
                } else if (a instanceof Action.DecNwTtl) {
                    requireInMatch(match, a, Field.ETH_TYPE, EthType.IPV4);
                }
            }
        }
    }

    private static void requireInMatch(Match match, Action action, Field field, long value) {
        if (!match.isExactly(field, value)) {
            throw new IllegalArgumentException("action " + action + " needs " + field + "=0x" + Long.toHexString(value)
                    + " in the same flow's match (switches check prerequisites per flow)");
        }
    }

    /** Table, priority and match (a new key on each call: rules do not keep one). */
    public FlowKey key() {
        return new FlowKey(tableId, priority, match);
    }

    /** Whether this rule has {@code key}'s table, priority and match. */
    public boolean hasKey(FlowKey key) {
        return tableId == key.tableId() && priority == key.priority() && match.equals(key.match());
    }

    /** The same as {@code key().hashCode()}, without making the key. */
    public int keyHash() {
        return FlowKey.hash(tableId, priority, match);
    }

    /** Whether the two rules have the same table, priority and match. */
    public boolean sameKey(FlowRule r) {
        return tableId == r.tableId && priority == r.priority && match.equals(r.match);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof FlowRule r && hash == r.hash && cookie == r.cookie && sameKey(r)
                && instructions.equals(r.instructions);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return OfctlFormat.flow(this);
    }
}
