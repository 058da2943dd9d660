package dev.cpt.app.cli;

import dev.cpt.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {


    static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void shouldTimeIngestAndRawCopySideBySideAndAccountForEveryInputByte() {
        CliRun r = run("bench", "ingest", "--mb", "0.2", "--set", "cpt.ingest.heldout.fraction=0.2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches("ingest_vs_raw_copy=\\d+\\.\\d{2}");
        assertThat(r.out()).containsPattern("(?m)^run\\s+MB\\s+docs\\s+seconds\\s+MB/s\\s+docs/s$")
                .containsPattern("(?m)^ingest\\s+0\\.2\\d\\s+\\d+\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d$")
                .containsPattern("(?m)^raw copy\\s+0\\.2\\d\\s+\\d+\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d$")
                .contains("start-up before RUNNING")
                .containsPattern("lookahead \\(cpt.ingest.lookahead.threads\\): \\d+ of \\d+ records validated and hashed by its worker\\(s\\)")
                .containsPattern("garbage collection pauses \\d+ GC \\d+\\.\\d{3} s\\n")
                .containsPattern("offsets sent with each\\); garbage collection pauses \\d+ GC \\d+\\.\\d{3} s");

        Matcher m = Pattern.compile("accounted: (\\d+) text bytes = (\\d+) accepted \\+ (\\d+) duplicate \\+ (\\d+) dead-lettered; "
                + "(\\d+) tokens = (\\d+) sequences x (\\d+) \\+ (\\d+) waiting in pack state; output, meters and copy verified").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        long input = Long.parseLong(m.group(1));
        assertThat(input).isGreaterThanOrEqualTo(200_000);
        assertThat(Long.parseLong(m.group(2))).isEqualTo(input);
        long tokens = Long.parseLong(m.group(5));
        long length = Long.parseLong(m.group(7));
        assertThat(Long.parseLong(m.group(6)) * length + Long.parseLong(m.group(8))).isEqualTo(tokens);
        assertThat(Long.parseLong(m.group(8))).isLessThan(length * 2 * 3); // < one sequence per stream and split
        assertThat(tokens).isGreaterThan(input); // every byte plus one EOS per document

        // byte-level sequences go out in TokenSequence width 1, up to 64 per record (version 3 blocks): a
        // byte per token plus a ~41-byte header per record (u16 would be over 2)
        Matcher out = Pattern.compile("output: (\\d+) sequences in (\\d+) records, [\\d.]+ MB of record values before compression "
                + "\\((\\d+\\.\\d{3}) bytes per byte of accepted text\\)").matcher(r.out());
        assertThat(out.find()).as(r.out()).isTrue();
        long sequences = Long.parseLong(out.group(1));
        assertThat(sequences).isEqualTo(Long.parseLong(m.group(6)));
        assertThat(Long.parseLong(out.group(2))).as("records of up to 64 sequences").isBetween(sequences / 64, sequences - 1);
        assertThat(Double.parseDouble(out.group(3))).isBetween(1.0, 1.3);
    }

    @Test
    void shouldCycleACorpusFileWithoutLosingRepeatsToDedupAfterAWarmUpOnOtherTopics(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("tiny.jsonl");
        Files.writeString(corpus, "{\"id\":\"t/1\",\"stream\":\"tiny\",\"text\":\"" + "a few words of prose. ".repeat(200) + "\"}\n"
                + "{\"id\":\"t/2\",\"stream\":\"tiny\",\"text\":\"" + "other words, other prose. ".repeat(150) + "\"}\n");

        CliRun r = run("bench", "ingest", "--corpus", corpus.toString(), "--mb", "0.1", "--warmup-mb", "0.05");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("= \\d+ accepted \\+ 0 duplicate \\+ 0 dead-lettered").contains("verified")
                .contains("after 1 warm-up(s) on 0.05 MB");
        assertThat(r.err()).contains("warm-up 1 done");
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches("ingest_vs_raw_copy=\\d+\\.\\d{2}");
    }

    @Test
    void shouldReportTheMedianOfSeveralRunsEachOnFreshTopics() {
        CliRun r = run("bench", "ingest", "--mb", "0.05", "--runs", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("run 1 of 3", "run 2 of 3", "run 3 of 3");
        Matcher row = Pattern.compile("(?m)^(\\d)\\s+(\\d+\\.\\d{3})\\s+(\\d+\\.\\d{3})\\s+(\\d+\\.\\d{2})\\s+"
                + "JIT \\d+\\.\\d{3} s, \\d+ GC \\d+\\.\\d{3} s\\s+\\d+ GC \\d+\\.\\d{3} s$").matcher(r.out());
        List<Double> ratios = new java.util.ArrayList<>();
        while (row.find()) {
            assertThat(Integer.parseInt(row.group(1))).isEqualTo(ratios.size() + 1);
            ratios.add(Double.parseDouble(row.group(4)));
        }
        assertThat(ratios).hasSize(3);
        assertThat(r.out()).contains("runs: 3 in this JVM").contains("output, meters and copy verified");
        List<String> lines = r.out().lines().toList();
        double median = ratios.stream().sorted().toList().get(1);
        assertThat(Double.parseDouble(lines.get(lines.size() - 1).substring("ingest_vs_raw_copy=".length())))
                .isCloseTo(median, org.assertj.core.data.Offset.offset(0.0051));
    }

    @Test
    void shouldListWarmUpRunsWithoutCountingThemInTheMedian() {
        CliRun r = run("bench", "ingest", "--mb", "0.05", "--warmup-mb", "0.03", "--warmup-runs", "2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warm-up 1 of 2", "warm-up 2 of 2");
        Matcher row = Pattern.compile("(?m)^(w1|w2|1)\\s+(\\d+\\.\\d{3})\\s+(\\d+\\.\\d{3})\\s+(\\d+\\.\\d{2})\\s").matcher(r.out());
        List<String> names = new java.util.ArrayList<>();
        String runRatio = null;
        while (row.find()) {
            names.add(row.group(1));
            if (row.group(1).equals("1")) {
                runRatio = row.group(4);
            }
        }
        assertThat(names).containsExactly("w1", "w2", "1");
        assertThat(r.out()).contains("median of 1 runs (warm-ups w1..w2 not counted)", "after 2 warm-up(s) on 0.03 MB");
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("ingest_vs_raw_copy=" + runRatio);
    }

    @Test
    void shouldRefuseWarmUpRunsWithoutAWarmUpSize() {
        CliRun r = run("bench", "ingest", "--warmup-runs", "2");

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(r.err()).contains("--warmup-runs needs --warmup-mb");
    }

    @Test
    void shouldRefuseZeroRuns() {
        CliRun r = run("bench", "ingest", "--runs", "0");

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(r.err()).contains("--runs must be from 1 to 50: 0");
    }

    @Test
    void shouldExitWithTwoNamingTheCorpusWhenItIsMissing(@TempDir Path dir) {
        CliRun r = run("bench", "ingest", "--corpus", dir.resolve("missing.jsonl").toString());

        assertThat(r.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(r.err()).contains("missing.jsonl", "does not exist");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void shouldRefuseANonPositiveSize() {
        CliRun r = run("bench", "ingest", "--mb", "0");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--mb must be > 0");
    }
}
