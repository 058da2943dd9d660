package dev.cpt.trainer.replay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The hand-written chi-square p-value agrees with reference values (scipy.stats.chi2.sf). */
class ChiSquareTest {

    @Test
    void pValuesMatchReferenceValues() {
        assertThat(ChiSquare.pValue(3.841, 1)).isCloseTo(0.050014, within(1e-5)); // scipy.stats.chi2.sf
        assertThat(ChiSquare.pValue(13.816, 2)).isCloseTo(0.001, within(1e-5));
        assertThat(ChiSquare.pValue(2, 2)).isCloseTo(Math.exp(-1), within(1e-12));
        assertThat(ChiSquare.pValue(1142.848, 999)).isCloseTo(0.001, within(1e-5));
        assertThat(ChiSquare.pValue(999, 999)).isCloseTo(0.49405, within(1e-4));
    }
}
