package dev.cpt.app.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The lines {@code cpt experiment wsd} prints on stdout; the last one is the summary a script reads. */
final class WsdReport {

    private WsdReport() {
    }

    static List<String> lines(WsdExperiment.Result r) {
        WsdSettings s = r.settings();
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "corpus: %s: %d documents, %d bytes of text -> %d sequences of %d tokens (%s), %s;"
                        + " %d used", r.train().path(), r.train().documents(), r.train().textBytes(), r.train().sequences().size(),
                s.context() + 1, streams(r.train().perStream()), s.shuffle() ? "documents shuffled (seed " + s.seed() + ")"
                        : "in file order", s.sequencesNeeded()));
        out.add(String.format(Locale.ROOT, "held-out: %s: %d documents -> %d sequences; frozen eval set of at most %d per stream,"
                        + " evenly spaced: %s", r.heldout().path(), r.heldout().documents(), r.heldout().sequences().size(),
                r.evalSequencesPerStream(), r.evalSetSizes()));
        out.add(String.format(Locale.ROOT, "model: preset %s, context %d, batch %d (%d tokens/step), peak lr %s, warmup %d steps,"
                        + " seed %d, threads %s", s.preset(), s.context(), s.batch(), (long) s.batch() * s.context(), s.lr(), s.warmup(),
                s.seed(), s.threads() == 0 ? "every core" : Integer.toString(s.threads())));
        out.add(String.format(Locale.ROOT, "main run: wsd, %d steps; %d branches, each a one-minus-sqrt decay to 0 over %s of the"
                + " steps since the previous fork, on the upcoming data", s.steps(), s.branches(), s.decayFraction()));
        out.add("");
        out.add(String.format(Locale.ROOT, "%-16s %7s %6s %11s %10s %10s %10s %12s", "branch", "fork", "decay", "tokens",
                "main@fork", "branch", "predicted", "branch/main"));
        WsdExperiment.MainRun main = r.main();
        for (WsdExperiment.Branch b : main.branches()) {
            out.add(String.format(Locale.ROOT, "%-16s %7d %6d %11d %10.4f %10.4f %10s %12.4f", b.id(), b.forkStep(), b.decaySteps(),
                    b.tokens(), b.mainAtFork(), b.loss(), b.predicted() == null ? "n/a" : String.format(Locale.ROOT, "%.4f",
                            b.predicted()), b.ratio()));
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "main run: %d steps, %d tokens, skipped steps %d (non-finite updates skipped by the"
                + " guard; a branch's own are in its manifest, decay.skippedSteps)", main.steps(), main.tokens(), main.skipped()));
        WsdExperiment.Branch last = main.branches().get(main.branches().size() - 1);
        String ratio = "n/a";
        if (r.cosine().isPresent()) {
            WsdExperiment.CosineRun c = r.cosine().get();
            out.add(String.format(Locale.ROOT, "cosine run: %d steps, %d tokens, eval loss %.4f, skipped steps %d; last branch %s:"
                    + " %d steps, %d tokens, eval loss %.4f", c.steps(), c.tokens(), c.loss(), c.skipped(), last.id(),
                    last.forkStep() + last.decaySteps(), last.tokens(), last.loss()));
            ratio = String.format(Locale.ROOT, "%.4f", last.loss() / c.loss());
        } else {
            out.add("cosine run: not run (--compare-cosine runs it)");
        }
        double decay = 0;
        double other = 0;
        double forkEval = 0;
        long decaySteps = 0;
        for (WsdExperiment.Branch b : main.branches()) {
            decay += b.decaySeconds();
            other += b.wallSeconds() - b.decaySeconds();
            forkEval += b.forkEvalSeconds();
            decaySteps += b.decaySteps();
        }
        double branches = decay + other + forkEval;
        out.add(String.format(Locale.ROOT, "time, main run: %d steps in %.1f s (%.3f s/step), %d evaluations in %.1f s", main.steps(),
                main.stepSeconds(), main.stepSeconds() / Math.max(1, main.steps()), main.evaluations(), main.evalSeconds()));
        out.add(String.format(Locale.ROOT, "time, branches: %d decay steps in %.1f s (%.3f s/step), fork copy + branch eval +"
                        + " publication %.1f s, main eval at the forks %.1f s", decaySteps, decay, decay / Math.max(1, decaySteps), other,
                forkEval));
        out.add(String.format(Locale.ROOT, "branch_overhead: %.1f s = %.1f%% of the main steps' time; the main run is paused"
                + " meanwhile (it does not share the training thread)", branches, 100 * branches / Math.max(1e-9, main.stepSeconds())));
        long beating = main.branches().stream().filter(WsdExperiment.Branch::beatsMain).count();
        out.add(String.format(Locale.ROOT, "branches_beating_main=%d/%d last_branch_vs_cosine=%s", beating, main.branches().size(), ratio));
        return out;
    }

    private static String streams(Map<String, ?> perStream) {
        return perStream.size() == 1 ? "stream " + perStream.keySet().iterator().next()
                : perStream.size() + " streams " + String.join(", ", new java.util.TreeSet<>(perStream.keySet()));
    }
}
