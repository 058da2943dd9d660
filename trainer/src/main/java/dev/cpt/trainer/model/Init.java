package dev.cpt.trainer.model;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Deterministic initialisers. A normal parameter draws from {@code java.util.Random} (its
 * Gaussian is specified by the JDK, so values are identical on every JVM) seeded by
 * {@link #seedFor(long, String)}: a function of the model seed and the parameter NAME only, so
 * a parameter's initial values do not depend on the order or number of the others.
 */
final class Init {

    private Init() {
    }

    static Parameter normal(long seed, String name, Shape shape, double std) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer((manager, s, dataType) -> {
                    requireFloat32(name, dataType);
                    float[] data = gaussian(seedFor(seed, name), Math.toIntExact(s.size()), std);
                    return manager.create(data, s);
                })
                .build();
    }

    static Parameter zeros(String name, Parameter.Type type, Shape shape) {
        return Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer((manager, s, dataType) -> manager.zeros(s, dataType))
                .build();
    }

    static Parameter ones(String name, Parameter.Type type, Shape shape) {
        return Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer((manager, s, dataType) -> manager.ones(s, dataType))
                .build();
    }

    static float[] gaussian(long seed, int n, double std) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * std);
        }
        return out;
    }

    /** SplitMix64 finaliser of {@code seed} xor the 64-bit FNV-1a hash of the UTF-8 name. */
    static long seedFor(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        long z = seed ^ h;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static void requireFloat32(String name, DataType dataType) {
        if (dataType != DataType.FLOAT32) {
            throw new IllegalArgumentException("parameter " + name + ": only FLOAT32 is supported, got " + dataType);
        }
    }
}
