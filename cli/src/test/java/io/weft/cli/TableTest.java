package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndTwoSpacesApart() {
        Table t = new Table("NAME", "VNI", "ENCAP").row("green", 2, "gre").row("a-longer-name", 10, null);
        assertThat(t.lines()).containsExactly(
                "NAME           VNI  ENCAP",
                "green          2    gre",
                "a-longer-name  10   -");
    }

    @Test
    void theLastColumnIsNotPaddedAndAnEmptyTableIsItsHeader() {
        assertThat(new Table("NAME", "SUBNETS").row("red", "").toString()).isEqualTo("NAME  SUBNETS\nred\n");
        assertThat(new Table("NAME", "VNI").lines()).containsExactly("NAME  VNI");
    }

    @Test
    void aRowOfTheWrongWidthIsAMistake() {
        assertThatThrownBy(() -> new Table("A", "B").row("x")).isInstanceOf(IllegalArgumentException.class);
    }
}
