package dev.cpt.trainer.schedule;

/**
 * Argument checks that name the parameter, the value and the rule, so that a bad configuration
 * key is found from the message alone.
 */
final class Check {

    private Check() {
    }

    static double positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw fail(name, value, "must be > 0 and finite");
        }
        return value;
    }

    static double nonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw fail(name, value, "must be >= 0 and finite");
        }
        return value;
    }

    static double fraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw fail(name, value, "must be in [0, 1]");
        }
        return value;
    }

    static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    static long atLeastOne(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    static double atMost(String name, double value, String boundName, double bound) {
        if (value > bound) {
            throw fail(name, value, "must be <= " + boundName + " (" + Lr.format(bound) + ")");
        }
        return value;
    }

    /** A value a shape must reach or leave: shapes that interpolate geometrically cannot use 0. */
    static double reachableBy(Shape shape, String name, double value) {
        if (shape.needsPositiveValues() && !(value > 0)) {
            throw fail(name, value, "must be > 0 for shape " + shape + " (it interpolates geometrically and cannot reach 0)");
        }
        return value;
    }

    static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** {@code a + b} for step counts; a sum past {@code Long.MAX_VALUE} is a configuration error. */
    static long sum(String what, long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " must be < " + Long.MAX_VALUE + ", got " + a + " + " + b, e);
        }
    }

    static IllegalArgumentException fail(String name, double value, String rule) {
        return new IllegalArgumentException(name + " " + rule + ", got " + Lr.format(value));
    }
}
