package org.vmlat.latency;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Checks on the text of an input file before a parser sees it, each failure located at its line:
 * the bytes must be UTF-8 (a decoder's "Input length = 1" names nothing), and brackets must not
 * nest deeper than a plan ever needs (the TOML parser recurses per level and would overflow its
 * stack on a few thousand levels).
 */
public final class InputText {
    /** Far beyond any plan or task set, far below what overflows the parser's stack. */
    public static final int MAX_NESTING = 32;

    private InputText() {}

    /** The bytes as UTF-8 text, or an error naming the line of the first byte that is not UTF-8. */
    public static String utf8(String source, byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return d.decode(in).toString();
        } catch (CharacterCodingException e) {
            // decode again up to the failure to find its line
            int bad = firstBadByte(bytes);
            long line = 1;
            for (int i = 0; i < bad; i++) if (bytes[i] == '\n') line++;
            throw new FormatException(source, line, null, String.format("byte 0x%02x at offset %d is not UTF-8 (save the file as UTF-8)", bytes[bad] & 0xff, bad));
        }
    }

    private static int firstBadByte(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        d.decode(in, out, true);
        return Math.min(in.position(), bytes.length - 1);
    }

    /**
     * Whether a character would act on a terminal instead of showing: C0 controls (tab and
     * newline included: names are one line), DEL, C1 controls and the bidirectional overrides.
     */
    public static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
                || (c >= 0x200e && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** The first control character of a text as its code point ("U+001B"), or null when it has none. */
    public static String firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c)) return String.format(Locale.ROOT, "U+%04X", (int) c);
        }
        return null;
    }

    /** A parsed value as an error message shows it: the value itself, or what kind of value it is. */
    public static String describe(Object v) {
        if (v == null) return "nothing";
        if (v instanceof String s) return "\"" + s + "\"";
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        String type = v.getClass().getSimpleName();
        if (type.contains("Table")) return "a table";
        if (type.contains("Array")) return "an array";
        return "a " + type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT) + " (" + v + ")";
    }

    /**
     * Rejects arrays or inline tables nested deeper than {@link #MAX_NESTING}, naming the line
     * where the limit is passed. Brackets in one-line strings and in comments do not count.
     */
    public static void checkNesting(String source, String text) {
        int depth = 0;
        long line = 1;
        char quote = 0;
        boolean comment = false;
        int lineStart = 0;
        String outerKey = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                comment = false;
                quote = 0; // a string in a multi-line string's lines may miscount, which only loosens the check
                continue;
            }
            if (comment) continue;
            if (quote != 0) {
                if (c == '\\' && quote == '"') i++;
                else if (c == quote) quote = 0;
                continue;
            }
            if (c == '#') comment = true;
            else if (c == '"' || c == '\'') quote = c;
            else if (c == '[' || c == '{') {
                if (depth == 0) {
                    // the key whose value nests (text before '=' on the line where it opens)
                    String head = text.substring(lineStart, i);
                    int eq = head.indexOf('=');
                    outerKey = eq > 0 ? head.substring(0, eq).strip() : null;
                }
                if (++depth > MAX_NESTING) {
                    throw new FormatException(source, line, outerKey, "arrays or tables nested deeper than " + MAX_NESTING + " levels");
                }
            } else if (c == ']' || c == '}') depth = Math.max(0, depth - 1);
        }
    }
}
