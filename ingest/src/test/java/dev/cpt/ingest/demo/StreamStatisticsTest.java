package dev.cpt.ingest.demo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two properties the demo rests on, measured without a neural model: each stream is
 * learnable (a small context model compresses it well) and the streams differ (their byte
 * statistics are far apart, and a model of one predicts another badly), so training on one
 * stream and then another shows forgetting.
 */
class StreamStatisticsTest {

    private static final int TRAIN_DOCUMENTS = 200;
    private static final int EVAL_DOCUMENTS = 50;
    private static final long TRAIN_SEED = 1;
    /** Another seed, so evaluation documents are new to the model. */
    private static final long EVAL_SEED = 2;

    private static final Map<SyntheticStream, ContextModel> MODELS = new EnumMap<>(SyntheticStream.class);

    @BeforeAll
    static void trainOneModelPerStream() {
        for (SyntheticStream stream : SyntheticStream.values()) {
            ContextModel model = new ContextModel(3);
            Iterator<DemoDocument> docs = SyntheticStreams.documents(stream.id(), TRAIN_SEED);
            for (int i = 0; i < TRAIN_DOCUMENTS; i++) {
                model.train(SyntheticStreamsTest.utf8(docs.next()));
            }
            MODELS.put(stream, model);
        }
    }

    @Test
    void byteDistributionsOfAnyTwoStreamsAreFarApart() {
        Map<SyntheticStream, double[]> unigrams = new EnumMap<>(SyntheticStream.class);
        for (SyntheticStream stream : SyntheticStream.values()) {
            unigrams.put(stream, unigram(stream));
        }
        for (SyntheticStream a : SyntheticStream.values()) {
            for (SyntheticStream b : SyntheticStream.values()) {
                if (a.ordinal() < b.ordinal()) {
                    assertThat(totalVariation(unigrams.get(a), unigrams.get(b)))
                            .as("total variation between %s and %s", a.id(), b.id()).isGreaterThan(0.3);
                }
            }
        }
    }

    @Test
    void anOrderThreeModelCompressesNewDocumentsOfItsOwnStreamWell() {
        for (SyntheticStream stream : SyntheticStream.values()) {
            assertThat(bitsPerByte(MODELS.get(stream), stream))
                    .as("bits/byte of %s under its own model", stream.id()).isLessThan(2.5);
        }
    }

    @Test
    void anOrderThreeModelOfOneStreamPredictsEveryOtherStreamClearlyWorse() {
        for (SyntheticStream trained : SyntheticStream.values()) {
            double own = bitsPerByte(MODELS.get(trained), trained);
            for (SyntheticStream other : SyntheticStream.values()) {
                if (other != trained) {
                    // at least 2 bits/byte more: a gap a trained network's per-stream loss shows plainly
                    assertThat(bitsPerByte(MODELS.get(trained), other))
                            .as("bits/byte of %s under the model of %s", other.id(), trained.id())
                            .isGreaterThan(own + 2.0);
                }
            }
        }
    }

    private static double bitsPerByte(ContextModel model, SyntheticStream stream) {
        double bits = 0;
        long bytes = 0;
        Iterator<DemoDocument> docs = SyntheticStreams.documents(stream.id(), EVAL_SEED);
        for (int i = 0; i < EVAL_DOCUMENTS; i++) {
            byte[] text = SyntheticStreamsTest.utf8(docs.next());
            bits += model.bits(text);
            bytes += text.length;
        }
        return bits / bytes;
    }

    private static double[] unigram(SyntheticStream stream) {
        double[] p = new double[256];
        long total = 0;
        Iterator<DemoDocument> docs = SyntheticStreams.documents(stream.id(), TRAIN_SEED);
        for (int i = 0; i < TRAIN_DOCUMENTS; i++) {
            for (byte b : SyntheticStreamsTest.utf8(docs.next())) {
                p[b & 0xFF]++;
                total++;
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    private static double totalVariation(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += Math.abs(p[i] - q[i]);
        }
        return sum / 2;
    }
}
