package dev.cpt.trainer.schedule;

import java.util.Locale;

/** Formatting of learning rates for {@code toString()} and messages. */
final class Lr {

    private Lr() {
    }

    /**
     * Scientific notation with as few digits as round-trip the value ({@code 1.0e-03},
     * {@code 1.65e-04}), so that a printed schedule can be pasted back into a configuration.
     */
    static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        for (int digits = 1; digits < 17; digits++) {
            String s = String.format(Locale.ROOT, "%." + digits + "e", value);
            if (Double.parseDouble(s) == value) {
                return s;
            }
        }
        return String.format(Locale.ROOT, "%.17e", value);
    }
}
