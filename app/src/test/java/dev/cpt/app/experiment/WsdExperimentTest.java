package dev.cpt.app.experiment;

import dev.cpt.app.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cpt experiment wsd} end to end on a small generated corpus (the tiny model, a few dozen steps). */
class WsdExperimentTest {

    private static final String[] WORDS = ("the of and to in a is that for it as was with be by on not he this are or his from at"
            + " which but have an they you were her").split(" ");

    @TempDir
    Path dir;

    /** {@code docs} documents of 300 words each, one JSON line per document. */
    static void writeCorpus(Path file, String stream, int docs, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 300; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            lines.add("{\"id\": \"" + stream + "/" + d + "\", \"stream\": \"" + stream + "\", \"text\": \"" + text + ".\"}");
        }
        Files.write(file, lines);
    }

    private Path corpus() throws IOException {
        Path train = dir.resolve("toy.train.jsonl");
        writeCorpus(train, "toy", 40, 1);
        writeCorpus(dir.resolve("toy.heldout.jsonl"), "toy", 4, 2);
        return train;
    }

    private static String lastLine(String out) {
        List<String> lines = out.lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void runsTheMainRunWithBranchesAndTheCosineRunAndPrintsTheTable() throws IOException {
        CliRun r = CliRun.run("experiment", "wsd", "--corpus", corpus().toString(), "--preset", "tiny", "--steps", "40", "--batch", "4",
                "--context", "32", "--warmup", "4", "--branches", "2", "--eval-every", "10", "--eval-sequences", "8", "--threads", "1",
                "--compare-cosine");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("(?m)^corpus: .*toy\\.train\\.jsonl: 40 documents, \\d+ bytes of text -> \\d+ sequences of 33 tokens"
                        + " \\(stream toy\\), in file order; 176 used$")
                .containsPattern("(?m)^held-out: .*toy\\.heldout\\.jsonl: 4 documents -> \\d+ sequences; .*\\{toy=8}$")
                .containsPattern("(?m)^branch\\s+fork\\s+decay\\s+tokens\\s+main@fork\\s+branch\\s+predicted\\s+branch/main$")
                // 4 decay steps each (0.2 x 20), tokens = (fork + decay) x 4 x 32
                .containsPattern("(?m)^b000001-f20\\s+20\\s+4\\s+3072\\s+\\d+\\.\\d{4}\\s+\\d+\\.\\d{4}\\s+n/a\\s+\\d+\\.\\d{4}$")
                .containsPattern("(?m)^b000002-f40\\s+40\\s+4\\s+5632\\s+\\d+\\.\\d{4}\\s+\\d+\\.\\d{4}\\s+(n/a|\\d+\\.\\d{4})\\s+\\d+\\.\\d{4}$")
                .containsPattern("(?m)^main run: 40 steps, 5120 tokens, skipped steps \\d+ ")
                .containsPattern("(?m)^cosine run: 44 steps, 5632 tokens, eval loss \\d+\\.\\d{4}, skipped steps \\d+; last branch"
                        + " b000002-f40: 44 steps, 5632 tokens, eval loss \\d+\\.\\d{4}$")
                .containsPattern("(?m)^time, main run: 40 steps in \\d+\\.\\d s \\(\\d+\\.\\d{3} s/step\\), 4 evaluations in ")
                .containsPattern("(?m)^time, branches: 8 decay steps in \\d+\\.\\d s ")
                .containsPattern("(?m)^branch_overhead: \\d+\\.\\d s = \\d+\\.\\d% of the main steps' time");
        assertThat(lastLine(r.out())).matches("branches_beating_main=[0-2]/2 last_branch_vs_cosine=\\d+\\.\\d{4}");
        assertThat(r.err()).contains("main   step     10/40  loss ").contains("cosine step     40/44  loss ")
                .contains("branch b000001-f20: forked at step 20, 4 decay steps");
    }

    @Test
    void saysNaForTheCosineRatioWithoutCompareCosine() throws IOException {
        CliRun r = CliRun.run("experiment", "wsd", "--corpus", corpus().toString(), "--preset", "tiny", "--steps", "12", "--batch", "2",
                "--context", "16", "--warmup", "2", "--branches", "1", "--eval-every", "0", "--eval-sequences", "2", "--threads", "1");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("cosine run: not run (--compare-cosine runs it)").containsPattern("(?m)^b000001-f12\\s+12\\s+2\\s+");
        assertThat(lastLine(r.out())).matches("branches_beating_main=[01]/1 last_branch_vs_cosine=n/a");
    }

    @Test
    void explainsItselfInHelp() {
        CliRun r = CliRun.run("experiment", "wsd", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--corpus=FILE", "--heldout=FILE", "--branches=N", "--compare-cosine", "--steps=N", "--batch=B",
                        "--context=T", "--lr=LR", "--warmup=N", "--decay-fraction=F", "--eval-sequences=N", "--seed=S", "--threads=T")
                .contains("branches_beating_main=<k>/<n>").contains("last_branch_vs_cosine=").doesNotContain("--preset");
        assertThat(CliRun.run("experiment").out()).contains("wsd");
        assertThat(CliRun.run("--help").out()).contains("experiment");
    }

    @Test
    void rejectsBadOptionsAndCorporaWithExitCodeTwo() throws IOException {
        Path train = corpus();
        CliRun missing = CliRun.run("experiment", "wsd", "--corpus", dir.resolve("nope.train.jsonl").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--corpus").contains("does not exist");

        Path blank = dir.resolve("blank.jsonl");
        Files.writeString(blank, "{\"stream\": \"toy\", \"text\": \"   \"}\n");
        CliRun empty = CliRun.run("experiment", "wsd", "--corpus", blank.toString(), "--heldout", train.toString());
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("--corpus").contains("no usable text");

        CliRun noHeldout = CliRun.run("experiment", "wsd", "--corpus", blank.toString());
        assertThat(noHeldout.exitCode()).isEqualTo(2);
        assertThat(noHeldout.err()).contains("--heldout is needed");

        CliRun tooSmall = CliRun.run("experiment", "wsd", "--corpus", train.toString(), "--steps", "100000");
        assertThat(tooSmall.exitCode()).isEqualTo(2);
        assertThat(tooSmall.err()).contains("lower --steps or --batch");

        assertThat(CliRun.run("experiment", "wsd", "--corpus", train.toString(), "--decay-fraction", "1.5").err())
                .contains("--decay-fraction must be > 0 and at most 1");
        assertThat(CliRun.run("experiment", "wsd", "--corpus", train.toString(), "--warmup", "400").err())
                .contains("--warmup (400) must be below the first fork at step 333");
        for (String[] bad : List.of(new String[]{"--branches", "0"}, new String[]{"--batch", "0"}, new String[]{"--lr", "0"},
                new String[]{"--steps", "2", "--branches", "3"}, new String[]{"--preset", "huge"}, new String[]{"--steps", "x"},
                new String[]{"--eval-sequences", "0"}, new String[]{"--threads", "-1"})) {
            List<String> args = new ArrayList<>(List.of("experiment", "wsd", "--corpus", train.toString()));
            args.addAll(List.of(bad));
            CliRun r = CliRun.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(String.join(" ", bad) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", bad)).contains(bad[bad.length - 2]);
        }
    }
}
