package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helpers every impure room shares: tree deletion, which, vmlat's folders. */
class SharedHelpersTest {
    @Test
    void deletesTheTreeButNotWhatALinkInItPointsTo(@TempDir Path dir) throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path root = Files.createDirectories(dir.resolve("root/a/b"));
        Files.writeString(root.resolve("f.txt"), "x");
        Files.createSymbolicLink(dir.resolve("root/a/link"), outside);

        FileTrees.delete(dir.resolve("root"));

        assertThat(dir.resolve("root")).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void aMissingRootIsNotAnError(@TempDir Path dir) throws Exception {
        FileTrees.delete(dir.resolve("none"));
        assertThat(FileTrees.deleteQuietly(dir.resolve("none"))).isTrue();
    }

    @Test
    void whichFindsExecutablesOnly(@TempDir Path dir) {
        assertThat(Executables.which("sh")).hasValueSatisfying(p -> assertThat(Files.isExecutable(p)).isTrue());
        assertThat(Executables.which("vmlat-no-such-tool")).isEmpty();
    }

    @Test
    void foldersAreNamedBelowVmlat() {
        assertThat(VmlatDirs.cache("guests")).endsWith(Path.of("vmlat", "guests"));
        assertThat(VmlatDirs.state("loads").getFileName()).hasToString("loads");
    }
}
