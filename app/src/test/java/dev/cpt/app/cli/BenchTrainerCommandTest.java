package dev.cpt.app.cli;

import dev.cpt.trainer.bench.PythonReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BenchTrainerCommandTest {


    static CliRun run(String... args) {
        return CliRun.run(args);
    }

    static final String[] QUICK = {"bench", "trainer", "--batch", "2", "--warmup", "1", "--steps", "3", "--threads", "1",
            "--matmul-n", "256"};

    static String[] quick(String... more) {
        String[] all = new String[QUICK.length + more.length];
        System.arraycopy(QUICK, 0, all, 0, QUICK.length);
        System.arraycopy(more, 0, all, QUICK.length, more.length);
        return all;
    }

    static String lastLine(String out) {
        List<String> lines = out.lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void printsTheTableAndTheSummaryLineWithoutTheReference() {
        CliRun r = run(quick("--no-reference", "--rss-steps", "2,4"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(lastLine(r.out())).matches("trainer_vs_pytorch_eager=n/a flops_fraction=\\d+\\.\\d{2}");
        assertThat(r.out())
                .containsPattern("(?m)^model: preset tiny = d 64, 2 layers, 4 heads, MLP x4, vocab 259, context 64: ")
                .containsPattern("(?m)^run: batch 2 x 64 tokens, 1 threads, 1 warm-up \\+ 3 timed steps")
                .containsPattern("(?m)^implementation\\s+tokens/s\\s+ms/step\\s+forward\\s+backward\\s+optimizer\\s+loss@1\\s+loss@end$")
                .containsPattern("(?m)^cpt \\(DJL, libtorch [0-9.]+\\)\\s+\\d+(\\s+\\d+\\.\\d{2}){4}(\\s+\\d+\\.\\d{4}){2}$")
                .containsPattern("(?m)^pytorch eager\\s+n/a$")
                .contains("reference: skipped")
                .containsPattern("(?m)^matmul 256\\^3: libtorch [0-9.]+ \\d+\\.\\d GFLOP/s$")
                .containsPattern("(?m)^achieved by cpt: \\d+\\.\\d GFLOP/s = \\d+ tokens/s x \\d+\\.\\d{3} MFLOP/token = \\d+\\.\\d{2} of the libtorch matmul$")
                .containsPattern("(?m)^memory run: VmRSS \\d+ MiB before, \\d+ MiB at step 2 .*, \\d+ MiB at step 4 ")
                .containsPattern("(?m)^  without the Java heap: \\d+ -> \\d+ MiB, growth -?\\d+\\.\\d{2}%")
                .containsPattern("(?m)^rss_growth=-?\\d+\\.\\d{2}% from step 2 to step 4");
    }

    @Test
    void printsHowToInstallTheReferenceAndStillOurFiguresWhenTorchIsMissing() {
        CliRun r = run(quick("--python", "/nonexistent/python3"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("apt-get update && apt-get install -y python3-torch libopenblas0-pthread");
        assertThat(r.out()).containsPattern("(?m)^cpt \\(DJL, libtorch").contains("reference: unavailable");
        assertThat(lastLine(r.out())).matches("trainer_vs_pytorch_eager=n/a flops_fraction=\\d+\\.\\d{2}");
    }

    @Test
    void comparesWithTheReferenceWhereDebianTorchIsInstalled() {
        assumeTrue(PythonReference.torchAvailable(PythonReference.DEFAULT_PYTHON),
                "/usr/bin/python3 cannot import torch: install python3-torch to run this test");

        CliRun r = run(quick());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(lastLine(r.out())).matches("trainer_vs_pytorch_eager=\\d+\\.\\d{2} flops_fraction=\\d+\\.\\d{2}");
        assertThat(r.out())
                .containsPattern("(?m)^pytorch eager \\(torch [^)]+\\)\\s+\\d+(\\s+\\d+\\.\\d{2}){4}(\\s+\\d+\\.\\d{4}){2}$")
                .containsPattern("(?m)^reference: Debian python3-torch, BLAS \\S*openblas")
                .containsPattern("GFLOP/s; torch \\S+ \\(reference\\) \\d+\\.\\d GFLOP/s")
                .doesNotContain("WARNING");
    }

    @Test
    void rejectsBadOptionsWithExitCodeTwo() {
        assertThat(run("bench", "trainer", "--preset", "huge").exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        CliRun r = run("bench", "trainer", "--rss-steps", "10,5");
        assertThat(r.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(r.err()).contains("strictly increasing");
        assertThat(run("bench", "trainer", "--batch", "0").exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
    }
}
