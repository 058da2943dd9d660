package dev.cpt.trainer.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each shape against its published formula. Expected values were computed independently (Python,
 * double precision) from the formulas as published, with value(r) = end + (start - end) * f(r):
 * linear f = 1 - r; cosine f = (1 + cos(pi r)) / 2; 1-sqrt f = 1 - sqrt(r);
 * exp value = start * (end / start)^r; rsqrt value = start / sqrt(1 + k r), k = (start / end)^2 - 1.
 */
class ShapeTest {

    @ParameterizedTest(name = "{0} from {1} to {2} at r = {3} is {4}")
    @CsvSource({
            "LINEAR, 1.0, 0.1, 0, 1.0",
            "LINEAR, 1.0, 0.1, 0.1, 0.91",
            "LINEAR, 1.0, 0.1, 0.25, 0.775",
            "LINEAR, 1.0, 0.1, 0.5, 0.55",
            "LINEAR, 1.0, 0.1, 0.75, 0.325",
            "LINEAR, 1.0, 0.1, 1, 0.1",
            "LINEAR, 0.0, 1.0, 0.25, 0.25",
            "LINEAR, 0.002, 0.0005, 0.5, 0.00125",
            "COSINE, 1.0, 0.1, 0, 1.0",
            "COSINE, 1.0, 0.1, 0.1, 0.9779754323328191",
            "COSINE, 1.0, 0.1, 0.25, 0.8681980515339464",
            "COSINE, 1.0, 0.1, 0.5, 0.55",
            "COSINE, 1.0, 0.1, 0.75, 0.23180194846605365",
            "COSINE, 1.0, 0.1, 0.9, 0.12202456766718092",
            "COSINE, 1.0, 0.1, 1, 0.1",
            "COSINE, 0.002, 0.0005, 0.25, 0.0017803300858899105",
            "ONE_MINUS_SQRT, 1.0, 0.1, 0, 1.0",
            "ONE_MINUS_SQRT, 1.0, 0.1, 0.1, 0.7153950105848458",
            "ONE_MINUS_SQRT, 1.0, 0.1, 0.25, 0.55",
            "ONE_MINUS_SQRT, 1.0, 0.1, 0.5, 0.36360389693210715",
            "ONE_MINUS_SQRT, 1.0, 0.1, 0.75, 0.22057713659400527",
            "ONE_MINUS_SQRT, 1.0, 0.1, 1, 0.1",
            "ONE_MINUS_SQRT, 1.0, 0.0, 0.25, 0.5",
            "ONE_MINUS_SQRT, 1.0, 0.0, 0.64, 0.2",
            "ONE_MINUS_SQRT, 0.002, 0.0005, 0.75, 0.0007009618943233421",
            "EXPONENTIAL, 1.0, 0.1, 0, 1.0",
            "EXPONENTIAL, 1.0, 0.1, 0.1, 0.7943282347242815",
            "EXPONENTIAL, 1.0, 0.1, 0.25, 0.5623413251903491",
            "EXPONENTIAL, 1.0, 0.1, 0.5, 0.31622776601683794",
            "EXPONENTIAL, 1.0, 0.1, 0.75, 0.1778279410038923",
            "EXPONENTIAL, 1.0, 0.1, 1, 0.1",
            "EXPONENTIAL, 0.002, 0.0005, 0.5, 0.001",
            "INVERSE_SQRT, 1.0, 0.1, 0, 1.0",
            "INVERSE_SQRT, 1.0, 0.1, 0.1, 0.3028912664076913",
            "INVERSE_SQRT, 1.0, 0.1, 0.25, 0.19706585563285864",
            "INVERSE_SQRT, 1.0, 0.1, 0.5, 0.14071950894605836",
            "INVERSE_SQRT, 1.0, 0.1, 0.75, 0.115278083540847",
            "INVERSE_SQRT, 1.0, 0.1, 1, 0.1",
            "INVERSE_SQRT, 0.002, 0.0005, 0.1, 0.0012649110640673518",
            "CONSTANT, 0.5, 0.5, 0.3, 0.5",
    })
    void shapeFollowsItsPublishedFormula(Shape shape, double start, double end, double r, double expected) {
        assertThat(shape.value(start, end, r)).isCloseTo(expected, within(1e-12));
    }

    @ParameterizedTest(name = "{0} returns exactly its start value at r = 0")
    @EnumSource(value = Shape.class, names = "CONSTANT", mode = EnumSource.Mode.EXCLUDE)
    void everyShapeStartsExactlyAtItsStartValue(Shape shape) {
        assertThat(shape.value(3e-4, 3e-5, 0)).isEqualTo(3e-4);
        assertThat(shape.value(3e-5, 3e-4, 0)).isEqualTo(3e-5);
    }

    @ParameterizedTest(name = "{0} never leaves the interval between start and end")
    @EnumSource(value = Shape.class, names = "CONSTANT", mode = EnumSource.Mode.EXCLUDE)
    void everyShapeStaysBetweenItsValuesAndEndsExactlyOnTheEndValue(Shape shape) {
        double start = 0.3;
        double end = 0.1; // 0.3 - 0.1 is not 0.2 in binary: the end must still be hit exactly
        double previous = start;
        for (int i = 0; i <= 1000; i++) {
            double v = shape.value(start, end, i / 1000.0);
            assertThat(v).isBetween(end, start).isLessThanOrEqualTo(previous);
            previous = v;
        }
        assertThat(shape.value(start, end, 1)).isEqualTo(end);
    }

    @Test
    void inverseSqrtIsTheTimescaleFormWithTheTimescaleThatLandsOnTheEndValue() {
        // start * sqrt(w / (w + t)) with w = length / ((start / end)^2 - 1): 1 -> 0.25 over 1000 steps, w = 1000/15
        double w = 1000.0 / 15;
        for (int t = 0; t <= 1000; t += 50) {
            assertThat(Shape.INVERSE_SQRT.value(1, 0.25, t / 1000.0))
                    .isCloseTo(Math.sqrt(w / (w + t)), within(1e-12));
        }
    }

    @Test
    void onlyExponentialAndInverseSqrtNeedPositiveValues() {
        assertThat(Shape.values()).filteredOn(Shape::needsPositiveValues)
                .containsExactlyInAnyOrder(Shape.EXPONENTIAL, Shape.INVERSE_SQRT);
    }

    @Test
    void labelsAreTheShortNamesUsedInDescriptions() {
        assertThat(Shape.ONE_MINUS_SQRT).hasToString("1-sqrt");
        assertThat(Shape.COSINE.label()).isEqualTo("cosine");
        assertThat(Shape.EXPONENTIAL.label()).isEqualTo("exp");
        assertThat(Shape.INVERSE_SQRT.label()).isEqualTo("rsqrt");
    }
}
