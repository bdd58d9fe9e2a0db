package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cpuidle's sysfs files in a fixture tree (the live ones are the machine's): what is disabled, and that all of it comes back. */
class IdleStatesTest {

    static Path cpus(Path root, int cpus, int states, String... initiallyDisabled) throws IOException {
        for (int c = 0; c < cpus; c++) {
            for (int k = 0; k < states; k++) {
                Path dir = Files.createDirectories(root.resolve("cpu" + c + "/cpuidle/state" + k));
                Files.writeString(dir.resolve("disable"), List.of(initiallyDisabled).contains(c + "/" + k) ? "1\n" : "0\n");
            }
        }
        return root;
    }

    static String disable(Path root, int cpu, int state) throws IOException {
        return Files.readString(root.resolve("cpu" + cpu + "/cpuidle/state" + state + "/disable")).strip();
    }

    @Test
    void statesDeeperThanNAreDisabledOnTheCpusGivenAndRestoredAsTheyWere(@TempDir Path dir) throws Exception {
        Path root = cpus(dir, 3, 4, "1/3");
        try (IdleStates held = IdleStates.limit(root, List.of(1, 2), 1)) {
            assertThat(held.disabled()).hasSize(4);
            for (int cpu : List.of(1, 2)) {
                assertThat(List.of(disable(root, cpu, 0), disable(root, cpu, 1), disable(root, cpu, 2), disable(root, cpu, 3)))
                        .containsExactly("0", "0", "1", "1");
            }
            assertThat(disable(root, 0, 3)).isEqualTo("0"); // CPU 0 does not measure
        }
        assertThat(disable(root, 1, 2)).isEqualTo("0");
        assertThat(disable(root, 1, 3)).isEqualTo("1"); // it was disabled before: it stays so
        assertThat(disable(root, 2, 3)).isEqualTo("0");
    }

    @Test
    void minusOneDisablesEveryStateIncludingPolling(@TempDir Path dir) throws Exception {
        Path root = cpus(dir, 1, 2);
        try (IdleStates held = IdleStates.limit(root, List.of(0), -1)) {
            assertThat(held.disabled()).hasSize(2);
            assertThat(disable(root, 0, 0)).isEqualTo("1");
        }
        assertThat(disable(root, 0, 0)).isEqualTo("0");
    }

    @Test
    void aCpuWithoutCpuidleIsRefusedAndWhatWasDoneIsUndone(@TempDir Path dir) throws Exception {
        Path root = cpus(dir, 1, 3);
        Files.createDirectories(root.resolve("cpu5"));
        assertThatThrownBy(() -> IdleStates.limit(root, List.of(0, 5), 0)).isInstanceOf(IOException.class)
                .hasMessage(root.resolve("cpu5/cpuidle") + ": no cpuidle states (no cpuidle driver on CPU 5)");
        assertThat(List.of(disable(root, 0, 1), disable(root, 0, 2))).containsExactly("0", "0");
    }

    /** The live files of CPU 0, where cpuidle exists: disabled while held, back to what they were after. */
    @Test
    void theLiveFilesComeBack() throws Exception {
        Path cpuidle = IdleStates.SYSFS_CPUS.resolve("cpu0/cpuidle");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(cpuidle.resolve("state0/disable")), "no writable cpuidle here");
        int states = 0;
        while (Files.isDirectory(cpuidle.resolve("state" + states))) states++;
        String[] before = new String[states];
        for (int k = 0; k < states; k++) before[k] = disable(IdleStates.SYSFS_CPUS, 0, k);
        try (IdleStates held = IdleStates.limit(IdleStates.SYSFS_CPUS, List.of(0), 0)) {
            for (int k = 1; k < states; k++) assertThat(disable(IdleStates.SYSFS_CPUS, 0, k)).isEqualTo("1");
        }
        for (int k = 0; k < states; k++) assertThat(disable(IdleStates.SYSFS_CPUS, 0, k)).isEqualTo(before[k]);
        System.out.println("live idle states of CPU 0 disabled and restored: " + (states - 1));
    }
}
