package io.weft.controller.names;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.model.Ipv4Address;
import io.weft.model.MacAddress;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Nothing a container sends stops the responder: any bytes give an outcome, never an exception. */
class NameResolverFuzzTest {

    private static final NameTable NAMES = NameTable.of(io.weft.model.NetworkSnapshot.of(1, java.util.List.of(),
            java.util.List.of(), java.util.List.of(), java.util.Map.of()));

    @Property(tries = 3000)
    void anyBytesGiveAnOutcome(@ForAll("payloads") byte[] payload) {
        NameResolver.Outcome o = NameResolver.resolve(payload, NAMES.zone("red"), true);
        assertThat(o).isNotNull();
        if (o instanceof NameResolver.Outcome.Reply r) {
            assertThat(r.message().toWire(512)).isNotEmpty();
        }
    }

    @Property(tries = 3000)
    void anyFrameParsesOrIsRefusedWithoutThrowing(@ForAll("frames") byte[] frame) {
        UdpFrame.parse(frame).ifPresent(f -> assertThat(f.reply(f.payload())).isNotEmpty());
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> mutated = Arbitraries.integers().between(0, 40).tuple3().map(t -> {
            byte[] q = validQuery();
            q[t.get1() % q.length] ^= (byte) (1 + t.get2());
            return java.util.Arrays.copyOf(q, Math.max(0, q.length - t.get3() % 8));
        });
        return Arbitraries.oneOf(random, mutated);
    }

    @Provide
    Arbitrary<byte[]> frames() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> mutated = Arbitraries.integers().between(0, 200).tuple2().map(t -> {
            byte[] f = validFrame();
            f[t.get1() % f.length] ^= (byte) (1 + t.get2());
            return f;
        });
        return Arbitraries.oneOf(random, mutated);
    }

    private static byte[] validQuery() {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString("c2."), Type.A, DClass.IN)).toWire();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] validFrame() {
        UdpFrame f = new UdpFrame(MacAddress.parse("02:42:0a:41:0a:fe"), MacAddress.parse("02:42:0a:41:0a:01"),
                Ipv4Address.parse("10.65.10.254"), Ipv4Address.parse("10.65.10.1"), 53, 40000, validQuery());
        return f.reply(validQuery());
    }
}
