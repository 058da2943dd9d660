package dev.cpt.trainer.listen;

import dev.cpt.trainer.Trainer;
import dev.cpt.trainer.step.StepResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Held-out loss of every stream on its frozen eval set, every {@code every} steps: logged and a gauge {@code cpt.eval.loss{stream,branch=main}}. */
public final class EvalListener implements StepListener {

    private static final Logger log = LoggerFactory.getLogger(EvalListener.class);

    private final long every;
    private final MeterRegistry registry;
    private final Map<String, double[]> losses = new ConcurrentHashMap<>();

    public EvalListener(long every, MeterRegistry registry) {
        this.every = every;
        this.registry = registry;
    }

    @Override
    public boolean shouldRun(long step) {
        return every > 0 && step % every == 0;
    }

    @Override
    public void run(Trainer trainer, StepResult last, double lr, long waitNs) {
        Map<String, Double> now = trainer.evaluate();
        now.forEach((stream, loss) -> losses.computeIfAbsent(stream, s -> {
            double[] holder = {Double.NaN};
            if (registry != null) {
                Gauge.builder("cpt.eval.loss", holder, h -> h[0]).description("Held-out loss on the frozen eval set")
                        .tags("stream", s, "branch", "main").register(registry);
            }
            return holder;
        })[0] = loss);
        log.info("step {}: held-out loss {}", trainer.stepCount(), now);
    }

    /** The losses of the last evaluation, by stream. */
    public Map<String, Double> last() {
        Map<String, Double> out = new java.util.TreeMap<>();
        losses.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }
}
