package dev.cpt.trainer.predict;

import dev.cpt.trainer.predict.LossLawFit.Fit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Degenerate but well-formed data: the fit never throws, and whatever it returns obeys the constraints. */
class LossLawFitRobustnessTest {

    @Property(tries = 200)
    void anyFitOfArbitraryDataObeysTheConstraints(@ForAll("observations") List<Observation> points) {
        Optional<Fit> fit = LossLawFit.fit(points);

        long distinct = points.stream().mapToDouble(Observation::s1).distinct().count();
        assertThat(fit.isPresent()).isEqualTo(points.size() >= 4 && distinct >= 3);
        fit.ifPresent(f -> assertWithinConstraints(f, points));
    }

    @Test
    void shouldFitFlatRisingAndExtremeDataWithoutThrowing() {
        List<List<Observation>> cases = List.of(
                line(i -> new Observation(i, 0, 3.0)), // flat: a = 0, alpha unidentified
                line(i -> new Observation(i, 0, 2.0 + 0.1 * i)), // rising loss: the law cannot rise
                line(i -> new Observation(i * 1e-300, 0, 3.0 / i)), // s1^-alpha overflows for most alpha
                line(i -> new Observation(i * 1e300, 0, 3.0 / i)), // ...and underflows
                line(i -> new Observation(i, i == 5 ? 1e300 : 0, 3.0 / i)), // absurd annealing area
                line(i -> new Observation(i, -0.5 * i, 3.0 / i)), // only rewarms: negative S2
                line(i -> new Observation(i, 0, i == 5 ? 1e-300 : 3.0))); // l0 squeezed to ~0
        for (List<Observation> points : cases) {
            Optional<Fit> fit = LossLawFit.fit(points);
            fit.ifPresent(f -> assertWithinConstraints(f, points));
        }
    }

    @Test
    void shouldRejectANullListOrElement() {
        List<Observation> withNull = new ArrayList<>(line(i -> new Observation(i, 0, 3.0 / i)));
        withNull.set(2, null);

        assertThatIllegalArgumentException().isThrownBy(() -> LossLawFit.fit(null))
                .withMessage("points must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> LossLawFit.fit(withNull))
                .withMessage("points[2] must not be null");
    }

    private static void assertWithinConstraints(Fit f, List<Observation> points) {
        double minLoss = points.stream().mapToDouble(Observation::loss).min().orElseThrow();
        boolean annealed = points.stream().anyMatch(o -> o.s2() > LossLawFit.ANNEALING_EPSILON);
        LossLaw law = f.law();
        assertThat(f.points()).isEqualTo(points.size());
        assertThat(f.annealingSeen()).isEqualTo(annealed);
        assertThat(law.l0()).isGreaterThanOrEqualTo(0).isLessThan(minLoss);
        assertThat(law.alpha()).isPositive().isLessThanOrEqualTo(LossLawFit.MAX_ALPHA);
        if (!annealed) {
            assertThat(law.c()).isZero();
        }
        for (Observation o : points) {
            assertThat(law.predict(o.s1(), o.s2())).as("prediction at %s", o).isPositive();
        }
    }

    private static List<Observation> line(IntFunction<Observation> at) {
        List<Observation> out = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            out.add(at.apply(i));
        }
        return out;
    }

    @Provide
    Arbitrary<List<Observation>> observations() {
        Arbitrary<Double> s1 = Arbitraries.oneOf(Arbitraries.doubles().between(1e-3, 1e3).ofScale(6),
                Arbitraries.of(1.0, 2.0, 3.0)); // repeats, for the distinct-s1 rule
        Arbitrary<Double> s2 = Arbitraries.oneOf(Arbitraries.just(0.0), Arbitraries.doubles().between(-1, 1).ofScale(6));
        Arbitrary<Double> loss = Arbitraries.doubles().between(0.05, 20).ofScale(6);
        return Combinators.combine(s1, s2, loss).as(Observation::new).list().ofMaxSize(40);
    }
}
