package org.vmlat.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputTextTest {
    @Test
    void utf8NamesTheLineAndOffsetOfTheFirstBadByte() {
        assertThat(InputText.utf8("p.toml", "a = \"µs\"\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("a = \"µs\"\n");
        byte[] latin1 = "x = 1\ny = 2\nname = \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> InputText.utf8("p.toml", latin1)).isInstanceOf(FormatException.class)
                .hasMessage("p.toml:3: byte 0xe9 at offset 23 is not UTF-8 (save the file as UTF-8)");
        // a sequence cut short at the end of the file
        assertThatThrownBy(() -> InputText.utf8("p.toml", new byte[] {'a', '\n', (byte) 0xe2, (byte) 0x82}))
                .hasMessageStartingWith("p.toml:2: byte 0xe2 at offset 2");
    }

    @Test
    void nestingIsLimitedAndNamesTheKeyWhoseValueNests() {
        String ok = "a = " + "[".repeat(32) + "]".repeat(32) + "\n";
        InputText.checkNesting("p.toml", ok);
        String deep = "x = 1\n[t]\nload = " + "[".repeat(33) + "]".repeat(33) + "\n";
        assertThatThrownBy(() -> InputText.checkNesting("p.toml", deep))
                .hasMessage("p.toml:3: load: arrays or tables nested deeper than 32 levels");
        // table headers close again; brackets in strings and comments do not count
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) many.append("[[target]]\nname = \"").append("[".repeat(40)).append("\" # ").append("{".repeat(40)).append('\n');
        InputText.checkNesting("p.toml", many.toString());
    }

    @Test
    void valuesAreDescribedWithoutJavaObjectNames() {
        assertThat(InputText.describe("x")).isEqualTo("\"x\"");
        assertThat(InputText.describe(5L)).isEqualTo("5");
        assertThat(InputText.describe(true)).isEqualTo("true");
        assertThat(InputText.describe(null)).isEqualTo("nothing");
    }

    @Test
    void controlCharactersAreNamedByCodePoint() {
        assertThat(InputText.firstControl("plain µs — é")).isNull();
        assertThat(InputText.firstControl("a\u001b]0;x")).isEqualTo("U+001B");
        assertThat(InputText.firstControl("gpj\u202eexe")).isEqualTo("U+202E");
        assertThat(InputText.firstControl("x\u0085")).isEqualTo("U+0085");
    }
}
