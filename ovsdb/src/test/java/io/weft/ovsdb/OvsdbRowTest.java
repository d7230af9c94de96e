package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** A row decodes each RFC 7047 value form once and reads it back as the typed accessors always did. */
class OvsdbRowTest {

    private static OvsdbRow row(String columnsJson) throws Exception {
        JsonNode json = OvsdbCodec.MAPPER.readTree(columnsJson);
        Map<String, JsonNode> columns = new HashMap<>();
        json.fields().forEachRemaining(c -> columns.put(c.getKey(), c.getValue()));
        return new OvsdbRow("r1", columns);
    }

    private static OvsdbRow row(String column, JsonNode value) {
        return new OvsdbRow("r1", Map.of(column, value));
    }

    @Test
    void readsABareAtomAsAOneElementSet() throws Exception {
        OvsdbRow r = row("""
                {"protocols":"OpenFlow13","wrapped":["set",["OpenFlow14"]],"two":["set",["a","b"]],
                 "port":["uuid","u1"],"ports":["set",[["uuid","u1"],["uuid","u2"]]],
                 "one_port":["set",[["uuid","u3"]]]}""");
        assertThat(r.stringSet("protocols")).containsExactly("OpenFlow13");
        assertThat(r.stringSet("wrapped")).containsExactly("OpenFlow14");
        assertThat(r.optionalString("wrapped")).contains("OpenFlow14");
        assertThat(r.string("protocols")).isEqualTo("OpenFlow13");
        assertThat(r.stringSet("two")).containsExactly("a", "b");
        assertThat(r.uuidSet("port")).containsExactly("u1");
        assertThat(r.uuidSet("ports")).containsExactly("u1", "u2");
        assertThat(r.uuidSet("one_port")).containsExactly("u3");
    }

    @Test
    void readsEmptySetsAndAbsentColumnsAsNothing() throws Exception {
        OvsdbRow r = row("""
                {"fail_mode":["set",[]],"ofport":["set",[]],"ports":["set",[]],"error":null}""");
        for (String column : List.of("fail_mode", "ofport", "ports", "error", "absent")) {
            assertThat(r.optionalString(column)).as(column).isEmpty();
            assertThat(r.string(column)).as(column).isEmpty();
            assertThat(r.optionalInteger(column)).as(column).isEmpty();
            assertThat(r.integer(column)).as(column).isZero();
            assertThat(r.stringSet(column)).as(column).isEmpty();
            assertThat(r.uuidSet(column)).as(column).isEmpty();
        }
        assertThat(r.stringMap("absent")).isEmpty();
        assertThat(r.stringMap("error")).as("a JSON null reads as an absent column").isEmpty();
    }

    @Test
    void readsIntegerColumnsIncludingAFailedAttach() throws Exception {
        OvsdbRow r = row("""
                {"ofport":-1,"ofport_request":["set",[]],"cur_cfg":["set",[4294967296]],"next_cfg":7}""");
        assertThat(r.ofport()).isEqualTo(OptionalLong.of(-1));
        assertThat(r.ofportRequest()).isEmpty();
        assertThat(r.integer("cur_cfg")).isEqualTo(4294967296L);
        assertThat(r.integer("next_cfg")).isEqualTo(7);
    }

    @Test
    void readsMaps() throws Exception {
        OvsdbRow r = row("""
                {"options":["map",[["remote_ip","10.0.0.2"],["key","flow"]]],"external_ids":["map",[]],
                 "other_config":["map",[["a","1"]]]}""");
        assertThat(r.options()).isEqualTo(Map.of("remote_ip", "10.0.0.2", "key", "flow"));
        assertThat(r.externalIds()).isEmpty();
        assertThat(r.otherConfig()).isEqualTo(Map.of("a", "1"));
    }

    @Test
    void keepsRealsBooleansAndMapsOfOtherAtomsThatWeftDoesNotReadAsStrings() throws Exception {
        OvsdbRow r = row("""
                {"is_connected":true,"ratio":["set",[0.5]],"statistics":["map",[["rx",12]]],
                 "refs":["map",[["k",["uuid","u9"]]]]}""");
        assertThat(r).isEqualTo(row("""
                {"is_connected":["set",[true]],"ratio":0.5,"statistics":["map",[["rx",12]]],
                 "refs":["map",[["k",["uuid","u9"]]]]}"""));
        assertThatThrownBy(() -> r.stringMap("statistics")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected an OVSDB string, got 12");
    }

    @Test
    void readsAValueOfAnotherTypeWithAClearError() throws Exception {
        OvsdbRow r = row("""
                {"name":"br-int","port":["uuid","u1"],"ports":["set",[]],"ofport":"x","options":["map",[]]}""");
        assertThatThrownBy(() -> r.stringMap("ports")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected [\"map\"");
        assertThatThrownBy(() -> r.uuidSet("name")).hasMessageContaining("expected [\"uuid\"");
        assertThatThrownBy(() -> r.string("port")).hasMessageContaining("expected an OVSDB string");
        assertThatThrownBy(() -> r.ofport()).hasMessageContaining("expected an OVSDB integer");
        assertThatThrownBy(() -> r.stringSet("options")).hasMessageContaining("expected an OVSDB string");
    }

    @Test
    void rejectsWhatIsNoRfc7047ValueWhenTheRowArrives() {
        for (String bad : List.of("[1,2]", "{\"a\":1}", "[\"set\",\"x\"]", "[\"set\",[[\"set\",[]]]]",
                "[\"map\",[[\"k\"]]]", "[\"map\",{}]", "[\"map\",[[\"k\",[\"map\",[]]]]]", "[\"named-uuid\",\"x\"]",
                "[\"uuid\",7]", "18446744073709551616")) {
            assertThatThrownBy(() -> row("{\"options\":" + bad + "}")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row r1 column options: ");
        }
    }

    @Test
    void aMalformedUpdateChangesNoSnapshot() throws Exception {
        OvsdbSnapshot s = OvsdbSnapshot.EMPTY.apply(OvsdbCodec.MAPPER.readTree("""
                {"Interface":{"i1":{"new":{"name":"vxlan-h2","ofport":3}}}}"""));
        assertThatThrownBy(() -> s.apply(OvsdbCodec.MAPPER.readTree("""
                {"Interface":{"i1":{"new":{"name":"vxlan-h2","ofport":[3,4]}}}}""")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column ofport");
        assertThat(s.ofport("vxlan-h2")).hasValue(3);
    }

    @Test
    void rowsShareTheStringsTheyRepeatInsteadOfKeepingOneCopyEach() throws Exception {
        OvsdbSnapshot s = OvsdbSnapshot.EMPTY.apply(OvsdbCodec.MAPPER.readTree("""
                {"Port":{"p1":{"new":{"name":"w1","interfaces":["uuid","i1"],
                                      "external_ids":["map",[["weft-owner","weft"],["weft-network","red"]]]}}},
                 "Interface":{"i1":{"new":{"name":"w1","type":"",
                                           "external_ids":["map",[["weft-owner","weft"],["weft-network","red"]]]}}}}
                """));
        OvsdbRow port = s.row(OvsdbSnapshot.PORT, "p1").orElseThrow();
        OvsdbRow iface = s.row(OvsdbSnapshot.INTERFACE, "i1").orElseThrow();
        assertThat(port.name()).isSameAs(iface.name());
        assertThat(port.uuidSet("interfaces").get(0)).as("a reference and the row it names").isSameAs(iface.uuid());
        assertThat(port.externalIds().get("weft-network")).isSameAs(iface.externalIds().get("weft-network"));
        assertThat(iface.externalIds().keySet()).allSatisfy(k -> assertThat(k).isSameAs(
                port.externalIds().keySet().stream().filter(k::equals).findFirst().orElseThrow()));
    }

    // Properties: whatever Weft encodes with OvsdbCodec, a row decodes back to the same value.

    @Property
    void aStringSetRoundTrips(@ForAll("strings") List<String> set) {
        assertThat(row("c", OvsdbCodec.stringSet(set)).stringSet("c")).isEqualTo(set);
    }

    @Property
    void aSetOfZeroOrOneIsAnOptionalWhetherSentBareOrAsASet(@ForAll("optionalStrings") Optional<String> value) {
        OvsdbRow asSet = row("c", OvsdbCodec.stringSet(value.stream().toList()));
        assertThat(asSet.optionalString("c")).isEqualTo(value);
        assertThat(asSet.string("c")).isEqualTo(value.orElse(""));
        value.ifPresent(v -> assertThat(row("c", OvsdbCodec.string(v))).isEqualTo(asSet));
    }

    @Property
    void aUuidSetRoundTrips(@ForAll("uuids") List<String> uuids) {
        OvsdbRow r = row("c", OvsdbCodec.set(uuids.stream().map(OvsdbCodec::uuid).toList()));
        assertThat(r.uuidSet("c")).isEqualTo(uuids);
        if (uuids.size() == 1) {
            assertThat(row("c", OvsdbCodec.uuid(uuids.get(0)))).isEqualTo(r);
        }
    }

    @Property
    void aStringMapRoundTrips(@ForAll("stringMaps") Map<String, String> map) {
        assertThat(row("c", OvsdbCodec.stringMap(map)).stringMap("c")).isEqualTo(map);
    }

    @Property
    void anIntegerRoundTripsBareOrAsASetOfOne(@ForAll long n) {
        assertThat(row("c", OvsdbCodec.integer(n)).optionalInteger("c")).isEqualTo(OptionalLong.of(n));
        assertThat(row("c", OvsdbCodec.set(List.of(OvsdbCodec.integer(n)))).integer("c")).isEqualTo(n);
    }

    @Provide
    Arbitrary<List<String>> strings() {
        return Arbitraries.strings().ofMaxLength(20).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<Optional<String>> optionalStrings() {
        return Arbitraries.strings().ofMaxLength(20).optional();
    }

    @Provide
    Arbitrary<List<String>> uuids() {
        return Arbitraries.create(() -> java.util.UUID.randomUUID().toString()).list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<Map<String, String>> stringMaps() {
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(12), Arbitraries.strings().ofMaxLength(12))
                .ofMaxSize(6);
    }
}
