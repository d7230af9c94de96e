package io.weft.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** A datapath id is written as OVS writes it: 16 lower-case hex digits, the top bit included. */
class DatapathIdTest {

    @Property
    void hexIsSixteenDigitsThatReadBackAsTheId(@ForAll long dpid) {
        String hex = DatapathId.hex(dpid);
        assertThat(hex).hasSize(16).matches("[0-9a-f]{16}");
        assertThat(Long.parseUnsignedLong(hex, 16)).isEqualTo(dpid);
    }
}
