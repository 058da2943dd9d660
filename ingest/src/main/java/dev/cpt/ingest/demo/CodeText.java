package dev.cpt.ingest.demo;

import java.util.List;

/**
 * {@code demo-code}: small generated Java-like classes, one file per document, with a regular
 * grammar of a few method shapes, e.g. {@code boolean isLarge(int size) { return size > 42; }}.
 * Punctuation, camelCase and indentation dominate its bytes. Structure to learn: bracket nesting
 * and indentation, and names that recur inside a method (the parameter declared in the signature
 * is the one used in the body).
 */
final class CodeText implements TextGenerator {

    private static final String INDENT = "    ";
    private static final List<String> CLASS_PREFIXES = List.of("Order", "Page", "Token", "Score", "Row", "Step");
    private static final List<String> CLASS_SUFFIXES = List.of("Store", "Table", "Rules", "Math", "Index");
    private static final List<String> VERBS = List.of(
            "count", "find", "scale", "check", "load", "merge", "clamp", "shift", "total", "measure", "pick");
    private static final List<String> NOUNS = List.of(
            "Items", "Orders", "Score", "Size", "Limit", "Index", "Weight", "Pages", "Tokens", "Steps", "Rows");
    private static final List<String> ADJECTIVES = List.of(
            "Large", "Empty", "Valid", "Ready", "Small", "Stale", "Full", "Even", "Late");
    private static final List<String> PARAMETERS = List.of(
            "value", "count", "size", "limit", "index", "total", "offset", "width", "n", "x");
    private static final List<String> ARRAYS = List.of("values", "counts", "sizes", "weights", "scores", "rows");
    private static final List<String> LABELS = List.of(
            "none", "low", "high", "ok", "full", "empty", "ready", "late", "small", "large");
    private static final List<String> NUMBER_TYPES = List.of("int", "long");
    private static final List<String> ARITHMETIC = List.of("+", "-", "*", "/", "%");
    private static final List<String> COMPARISONS = List.of("<", ">", "<=", ">=", "==", "!=");

    @Override
    public String text(long number, SplitMix64 rng) {
        DocumentText out = new DocumentText(rng);
        out.append("// unit " + number + "\n");
        out.append("class " + rng.pick(CLASS_PREFIXES) + rng.pick(CLASS_SUFFIXES) + " {\n");
        int fields = rng.between(0, 3);
        for (int i = 0; i < fields; i++) {
            out.append(INDENT + "private final int " + rng.pick(PARAMETERS) + rng.pick(NOUNS) + " = "
                    + rng.between(0, 999) + ";\n");
        }
        while (!out.full()) {
            out.append("\n").append(method(rng));
        }
        return out.append("}\n").toString();
    }

    private static String method(SplitMix64 rng) {
        String name = rng.pick(VERBS) + rng.pick(NOUNS);
        String p = rng.pick(PARAMETERS);
        String type = rng.pick(NUMBER_TYPES);
        int k = rng.between(1, 99);
        return switch (rng.below(4)) {
            case 0 -> lines(
                    type + " " + name + "(" + type + " " + p + ") {",
                    INDENT + "return " + p + " " + rng.pick(ARITHMETIC) + " " + k + ";",
                    "}");
            case 1 -> lines(
                    "boolean is" + rng.pick(ADJECTIVES) + "(" + type + " " + p + ") {",
                    INDENT + "return " + p + " " + rng.pick(COMPARISONS) + " " + k + ";",
                    "}");
            case 2 -> {
                String xs = rng.pick(ARRAYS);
                String sum = rng.pick(List.of("sum", "acc", "result", "total"));
                yield lines(
                        type + " " + name + "(" + type + "[] " + xs + ") {",
                        INDENT + type + " " + sum + " = 0;",
                        INDENT + "for (int i = 0; i < " + xs + ".length; i++) {",
                        INDENT + INDENT + sum + " += " + xs + "[i];",
                        INDENT + "}",
                        INDENT + "return " + sum + ";",
                        "}");
            }
            default -> lines(
                    "String " + name + "(" + type + " " + p + ") {",
                    INDENT + "if (" + p + " " + rng.pick(COMPARISONS) + " " + k + ") {",
                    INDENT + INDENT + "return \"" + rng.pick(LABELS) + "\";",
                    INDENT + "}",
                    INDENT + "return \"" + rng.pick(LABELS) + "\";",
                    "}");
        };
    }

    /** The lines of a method, indented one level inside the class. */
    private static String lines(String... lines) {
        StringBuilder method = new StringBuilder();
        for (String line : lines) {
            method.append(INDENT).append(line).append('\n');
        }
        return method.toString();
    }
}
