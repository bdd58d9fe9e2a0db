package org.vmlat.cli;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Output that begins every line with {@code "# "}: beside a cyclictest {@code -h} histogram,
 * every line that is not a bucket must be a comment, so recipes as {@code grep -v '^#'} and
 * gnuplot read only the buckets (cyclictest -q prints nothing else).
 */
final class CommentedOutput extends Writer {
    private final PrintWriter out;
    private boolean lineStart = true;

    private CommentedOutput(PrintWriter out) {
        this.out = out;
    }

    static PrintWriter of(PrintWriter out) {
        return new PrintWriter(new CommentedOutput(out), false);
    }

    @Override
    public void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (lineStart && buf[i] != '\n') out.write("# ");
            else if (lineStart) out.write('#');
            out.write(buf[i]);
            lineStart = buf[i] == '\n';
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
