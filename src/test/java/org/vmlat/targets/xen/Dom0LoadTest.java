package org.vmlat.targets.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Placement;

class Dom0LoadTest {
    @Test
    void presetsRunByNameWithOneWorkerPerDom0Cpu() {
        assertThat(XenTarget.dom0Load(new LoadSpec("s", "syscall", List.of(), 0, Placement.HOST)))
                .containsExactly("stress-ng", "--get", "$(nproc)", "--sysinfo", "$(nproc)", "--timeout", "0", "--quiet");
        assertThat(XenTarget.dom0Load(new LoadSpec("h", "scheduler", List.of(), 3, Placement.HOST))).startsWith("hackbench", "--groups", "3");
    }

    @Test
    void aLoadWithCpusRunsUnderTasksetInDom0() {
        assertThat(XenTarget.dom0Load(new LoadSpec("p", "cpu", List.of(), 1, Placement.HOST, List.of(1))))
                .containsExactly("taskset", "-c", "1", "stress-ng", "--cpu", "1", "--timeout", "0", "--quiet");
    }

    @Test
    void customCommandsRunAsGivenAndJavaLoadsAreRefused() {
        assertThat(XenTarget.dom0Load(new LoadSpec("c", "", List.of("dd", "if=/dev/zero", "of=/dev/null"), 0, Placement.HOST)))
                .containsExactly("dd", "if=/dev/zero", "of=/dev/null");
        assertThatThrownBy(() -> XenTarget.dom0Load(new LoadSpec("b", "builtin-cpu", List.of(), 0, Placement.HOST))).hasMessageContaining("do not run in Dom0");
    }

    @Test
    void xlMessagesLoseTheirChatter() {
        assertThat(XenTarget.xlMessage("Parsing config from /run/vmlat/x.cfg\ngot a tsc mode string: \"native\"\nlibxl: error: out of memory\n"))
                .isEqualTo("libxl: error: out of memory");
    }
}
