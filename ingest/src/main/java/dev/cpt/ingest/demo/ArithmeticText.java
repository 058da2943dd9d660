package dev.cpt.ingest.demo;

/**
 * {@code demo-arith}: worksheets of small-integer arithmetic, one problem a line, e.g.
 * {@code 17 + 25 = 42}. Almost only digits and {@code +-*= }, so its byte statistics are far from
 * the prose and code streams. The answers are always right, which is the structure to learn; the
 * drills (one operand fixed, the other counting up) make many answers predictable from the line
 * above, so even a small model improves on them early.
 */
final class ArithmeticText implements TextGenerator {

    private static final int MAX_ADDEND = 99;
    private static final int MAX_FACTOR = 12;
    private static final int MIN_DRILL = 4;
    private static final int MAX_DRILL = 10;

    @Override
    public String text(long number, SplitMix64 rng) {
        DocumentText out = new DocumentText(rng);
        out.append("# " + number + "\n");
        while (!out.full()) {
            out.append("\n").append(rng.chance(0.4) ? drill(rng) : problems(rng));
        }
        return out.toString();
    }

    /** A block of independent problems of mixed operations. */
    private static String problems(SplitMix64 rng) {
        StringBuilder block = new StringBuilder();
        int lines = rng.between(3, 10);
        for (int i = 0; i < lines; i++) {
            switch (rng.below(3)) {
                case 0 -> {
                    int a = rng.between(0, MAX_ADDEND);
                    int b = rng.between(0, MAX_ADDEND);
                    line(block, a, '+', b, a + b);
                }
                case 1 -> {
                    // a >= b keeps answers non-negative: one sign convention less to learn
                    int a = rng.between(0, MAX_ADDEND);
                    int b = rng.between(0, a);
                    line(block, a, '-', b, a - b);
                }
                default -> {
                    int a = rng.between(0, MAX_FACTOR);
                    int b = rng.between(0, MAX_FACTOR);
                    line(block, a, '*', b, a * b);
                }
            }
        }
        return block.toString();
    }

    /** One operand fixed, the other counting up by one: each answer follows from the previous. */
    private static String drill(SplitMix64 rng) {
        StringBuilder block = new StringBuilder();
        boolean times = rng.chance(0.5);
        int fixed = rng.between(times ? 2 : 1, times ? MAX_FACTOR : MAX_ADDEND);
        int lines = rng.between(MIN_DRILL, MAX_DRILL);
        int start = rng.between(0, times ? MAX_FACTOR - lines + 1 : MAX_ADDEND - lines + 1);
        for (int b = start; b < start + lines; b++) {
            line(block, fixed, times ? '*' : '+', b, times ? fixed * b : fixed + b);
        }
        return block.toString();
    }

    private static void line(StringBuilder block, int a, char op, int b, int answer) {
        block.append(a).append(' ').append(op).append(' ').append(b).append(" = ").append(answer).append('\n');
    }
}
