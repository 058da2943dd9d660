package dev.cpt.trainer.optim;

import dev.cpt.trainer.model.ParameterGroup;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * L2 norms of one step's gradients, before clipping: global and per {@link ParameterGroup}.
 *
 * @param global  {@code sqrt(sum over all parameters of ||g||^2)}; NaN or infinite when any
 *                gradient is (or when the sum overflows float32)
 * @param byGroup {@code sqrt(sum over the group's parameters of ||g||^2)}
 */
public record GradientNorms(double global, Map<ParameterGroup, Double> byGroup) {

    public GradientNorms {
        byGroup = Collections.unmodifiableMap(new EnumMap<>(byGroup));
    }

    /** True when the global norm is a finite number. */
    public boolean isFinite() {
        return Double.isFinite(global);
    }

    /** The group's norm, 0 for a group without parameters. */
    public double group(ParameterGroup group) {
        return byGroup.getOrDefault(group, 0.0);
    }
}
