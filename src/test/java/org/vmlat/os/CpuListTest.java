package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuListTest {
    @Test
    void parsesTheKernelSyntax() {
        assertThat(CpuList.parse("0-3,8,10-11")).containsExactly(0, 1, 2, 3, 8, 10, 11);
        assertThat(CpuList.parse("")).isEmpty();
        assertThat(CpuList.parse("3,1,1")).containsExactly(1, 3);
    }

    @Test
    void formatsRanges() {
        assertThat(CpuList.format(List.of(0, 1, 2, 3, 8, 10, 11))).isEqualTo("0-3,8,10-11");
        assertThat(CpuList.format(List.of(5))).isEqualTo("5");
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> CpuList.parse("0-x")).hasMessageContaining("0-x");
        assertThatThrownBy(() -> CpuList.parse("3-1")).hasMessageContaining("3-1");
    }
}
