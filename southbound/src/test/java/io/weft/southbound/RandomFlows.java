package io.weft.southbound;

import io.weft.model.flow.Action;
import io.weft.model.flow.EthType;
import io.weft.model.flow.Field;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.Instruction;
import io.weft.model.flow.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded generator of valid model flows covering every field, action and instruction kind. */
final class RandomFlows {

    /** IP protocol 255 is reserved, and openflowj's IpProtocol refuses it: no switch message can carry it. */
    private static final int MAX_IP_PROTO = 254;

    private static final Field[] SETTABLE = {Field.TUNNEL_ID, Field.ETH_DST, Field.ETH_SRC, Field.ETH_TYPE,
        Field.ARP_OP, Field.ARP_SPA, Field.ARP_TPA, Field.ARP_SHA, Field.ARP_THA, Field.IPV4_SRC, Field.IPV4_DST,
        Field.IP_PROTO, Field.ICMPV4_TYPE, Field.ICMPV4_CODE, Field.UDP_DST, Field.TCP_DST};

    private final Random r;

    RandomFlows(long seed) {
        r = new Random(seed);
    }

    FlowRule flow() {
        Match match = match();
        List<Instruction> is = new ArrayList<>();
        if (r.nextInt(4) != 0) {
            is.add(new Instruction.ApplyActions(actions(match)));
        }
        if (r.nextBoolean()) {
            long mask = r.nextInt(3) == 0 ? -1L : nonZero(64);
            is.add(new Instruction.WriteMetadata(r.nextLong() & mask, mask));
        }
        if (r.nextBoolean()) {
            is.add(new Instruction.GotoTable(1 + r.nextInt(254)));
        }
        if (r.nextInt(4) == 0) {
            is.add(new Instruction.Meter(1 + r.nextInt(0xffff)));
        }
        return new FlowRule(r.nextInt(255), r.nextInt(0x10000), match, is, r.nextLong());
    }

    Match match() {
        Match.Builder b = Match.builder();
        if (r.nextBoolean()) {
            b.exact(Field.IN_PORT, 1 + r.nextInt(0xfff00));
        }
        maybeMasked(b, Field.METADATA);
        maybeMasked(b, Field.TUNNEL_ID);
        maybeMasked(b, Field.ETH_DST);
        maybeMasked(b, Field.ETH_SRC);
        switch (r.nextInt(4)) {
            case 0 -> {
                b.exact(Field.ETH_TYPE, EthType.ARP);
                if (r.nextBoolean()) {
                    b.exact(Field.ARP_OP, 1 + r.nextInt(2));
                }
                maybeMasked(b, Field.ARP_SPA);
                maybeMasked(b, Field.ARP_TPA);
                maybeMasked(b, Field.ARP_SHA);
                maybeMasked(b, Field.ARP_THA);
            }
            case 1 -> {
                b.exact(Field.ETH_TYPE, EthType.IPV4);
                maybeMasked(b, Field.IPV4_SRC);
                maybeMasked(b, Field.IPV4_DST);
                if (r.nextBoolean()) {
                    b.exact(Field.IP_PROTO, 1);
                    if (r.nextBoolean()) {
                        b.exact(Field.ICMPV4_TYPE, r.nextInt(256));
                    }
                    if (r.nextBoolean()) {
                        b.exact(Field.ICMPV4_CODE, r.nextInt(256));
                    }
                } else if (r.nextBoolean()) {
                    boolean udp = r.nextBoolean();
                    b.exact(Field.IP_PROTO, udp ? EthType.IP_PROTO_UDP : EthType.IP_PROTO_TCP);
                    if (r.nextBoolean()) {
                        b.exact(udp ? Field.UDP_DST : Field.TCP_DST, r.nextInt(0x10000));
                    }
                } else if (r.nextBoolean()) {
                    b.exact(Field.IP_PROTO, r.nextInt(MAX_IP_PROTO + 1));
                }
            }
            case 2 -> b.exact(Field.ETH_TYPE, r.nextInt(0x10000));
            default -> {
            }
        }
        return b.build();
    }

    private void maybeMasked(Match.Builder b, Field f) {
        if (r.nextInt(3) != 0) {
            return;
        }
        long mask = r.nextBoolean() ? f.fullMask() : nonZero(f.bits());
        b.masked(f, r.nextLong() & mask, mask);
    }

    private long nonZero(int bits) {
        long full = bits == 64 ? -1L : (1L << bits) - 1;
        long m;
        do {
            m = r.nextLong() & full;
        } while (m == 0);
        return m;
    }

    /** Actions whose prerequisites {@code match} satisfies, as a switch requires of a flow; any when null. */
    List<Action> actions(Match match) {
        int n = 1 + r.nextInt(4);
        List<Action> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(switch (r.nextInt(3)) {
                case 0 -> new Action.Output(switch (r.nextInt(3)) {
                    case 0 -> Action.PORT_IN_PORT;
                    case 1 -> Action.PORT_CONTROLLER;
                    default -> 1 + r.nextInt(0xfff00);
                });
                case 1 -> {
                    Field f;
                    do {
                        f = SETTABLE[r.nextInt(SETTABLE.length)];
                    } while (!settable(f, match));
                    yield new Action.SetField(f, f == Field.IP_PROTO ? r.nextInt(MAX_IP_PROTO + 1)
                            : r.nextLong() & f.fullMask());
                }
                default -> is(match, Field.ETH_TYPE, EthType.IPV4) ? new Action.DecNwTtl()
                        : new Action.Output(1 + r.nextInt(0xfff00));
            });
        }
        return out;
    }

    private static boolean settable(Field f, Match match) {
        return switch (f) {
            case ARP_OP, ARP_SPA, ARP_TPA, ARP_SHA, ARP_THA -> is(match, Field.ETH_TYPE, EthType.ARP);
            case IPV4_SRC, IPV4_DST, IP_PROTO -> is(match, Field.ETH_TYPE, EthType.IPV4);
            case ICMPV4_TYPE, ICMPV4_CODE -> is(match, Field.IP_PROTO, EthType.IP_PROTO_ICMP);
            case UDP_DST -> is(match, Field.IP_PROTO, EthType.IP_PROTO_UDP);
            case TCP_DST -> is(match, Field.IP_PROTO, EthType.IP_PROTO_TCP);
            default -> true;
        };
    }

    private static boolean is(Match match, Field field, long value) {
        return match == null || match.get(field).filter(m -> m.isExact() && m.value() == value).isPresent();
    }
}
