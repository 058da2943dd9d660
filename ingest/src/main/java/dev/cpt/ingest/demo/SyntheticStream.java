package dev.cpt.ingest.demo;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The built-in synthetic streams. Each has its own alphabet and structure (see the generators),
 * so a model trained on one and then another shows forgetting of the first. Stream ids follow
 * the stream id rule {@code [a-z0-9][a-z0-9._-]{0,63}} and are stable: they end up in topics,
 * metrics and checkpoints.
 */
public enum SyntheticStream {

    /** Small-integer arithmetic worksheets: digits and {@code +-*=}. */
    ARITH("demo-arith", new ArithmeticText()),
    /** A weather diary in templated English: lower-case letters and spaces. */
    WEATHER("demo-weather", new WeatherText()),
    /** Small generated Java-like classes: punctuation, camelCase, indentation. */
    CODE("demo-code", new CodeText());

    private final String id;
    private final TextGenerator generator;

    SyntheticStream(String id, TextGenerator generator) {
        this.id = id;
        this.generator = generator;
    }

    /** The stream id documents of this stream are pushed under, e.g. {@code demo-arith}. */
    public String id() {
        return id;
    }

    TextGenerator generator() {
        return generator;
    }

    /** The stream with this id, if it is one of the built-in ones. */
    public static Optional<SyntheticStream> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    /** The stream with this id; fails naming the known ids otherwise. */
    public static SyntheticStream require(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown demo stream '" + id + "'; known: " + String.join(", ", ids())));
    }

    /** All ids, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(SyntheticStream::id).toList();
    }
}
