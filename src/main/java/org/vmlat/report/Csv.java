package org.vmlat.report;

/**
 * A CSV field as RFC 4180 writes it: quoted when it holds a comma, a double quote, a carriage
 * return or a line feed (or starts or ends with a space, which some readers trim), a double quote
 * inside doubled. Plan names and dimension values are the user's text, so every export quotes
 * through here.
 */
final class Csv {
    private Csv() {}

    static String field(String s) {
        if (s == null) return "";
        boolean quote = !s.isEmpty() && (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ');
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
