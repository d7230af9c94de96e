package io.weft.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OvsdbCodecTest {

    private static JsonNode json(String text) throws Exception {
        return OvsdbCodec.MAPPER.readTree(text);
    }

    @Test
    void encodesSetsMapsAndUuidsAsRfc7047Says() {
        assertThat(OvsdbCodec.stringSet(List.of("OpenFlow13", "OpenFlow14")).toString())
                .isEqualTo("[\"set\",[\"OpenFlow13\",\"OpenFlow14\"]]");
        assertThat(OvsdbCodec.stringMap(Map.of("b", "2", "a", "1")).toString())
                .isEqualTo("[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]");
        assertThat(OvsdbCodec.uuid("36bc1ba5-cb54-4e55-8e6b-6c0b7b2c3f1a").toString())
                .isEqualTo("[\"uuid\",\"36bc1ba5-cb54-4e55-8e6b-6c0b7b2c3f1a\"]");
        assertThat(OvsdbCodec.namedUuid("port0").toString()).isEqualTo("[\"named-uuid\",\"port0\"]");
        assertThat(OvsdbCodec.set(List.of()).toString()).isEqualTo("[\"set\",[]]");
    }

    @Test
    void snapshotAppliesInsertModifyDeleteInOrder() throws Exception {
        OvsdbSnapshot s = OvsdbSnapshot.EMPTY.apply(json("""
                {"Interface":{"i1":{"new":{"name":"vxlan-h2","ofport":["set",[]],"type":"vxlan"}}}}"""));
        assertThat(s.ofport("vxlan-h2")).isEmpty();
        OvsdbSnapshot s2 = s.apply(json("""
                {"Interface":{"i1":{"old":{"ofport":["set",[]]},"new":{"name":"vxlan-h2","ofport":3,"type":"vxlan"}}}}"""));
        assertThat(s2.ofport("vxlan-h2")).hasValue(3);
        assertThat(s.ofport("vxlan-h2")).as("snapshots are immutable").isEmpty();
        OvsdbSnapshot s3 = s2.apply(json("{\"Interface\":{\"i1\":{\"old\":{\"name\":\"vxlan-h2\"}}}}"));
        assertThat(s3.table(OvsdbSnapshot.INTERFACE)).isEmpty();
    }
}
