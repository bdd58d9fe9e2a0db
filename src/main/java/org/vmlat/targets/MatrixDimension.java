package org.vmlat.targets;

import java.util.function.UnaryOperator;

/**
 * A matrix dimension that shapes targets of a kind (kernel, mode, ...): its name in plans and how
 * one value is checked and normalised (throws IllegalArgumentException with the problem).
 */
public record MatrixDimension(String name, UnaryOperator<String> value) {
    public MatrixDimension {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("dimension name must not be empty");
    }

    /** A dimension whose values are taken as written. */
    public static MatrixDimension any(String name) {
        return new MatrixDimension(name, v -> v);
    }

    /** A dimension of whole numbers in min..max; {@code meaning} follows the range in errors. */
    public static MatrixDimension range(String name, int min, int max, String meaning) {
        return new MatrixDimension(name, v -> {
            int n;
            try {
                n = Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number " + min + ".." + max + meaning + ", got \"" + v + "\"");
            }
            if (n < min || n > max) throw new IllegalArgumentException("expected " + min + ".." + max + meaning + ", got " + n);
            return Integer.toString(n);
        });
    }
}
