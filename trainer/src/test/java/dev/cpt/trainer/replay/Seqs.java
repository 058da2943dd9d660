package dev.cpt.trainer.replay;

import dev.cpt.core.format.TokenSequence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test data: deterministic sequences whose tokens are a function of stream and number. */
final class Seqs {

    static final String TOKENIZER = "byte-v1";
    static final int VOCAB = 259;

    private Seqs() {
    }

    static TokenSequence seq(String stream, long n, int length) {
        return seq(stream, n, length, VOCAB);
    }

    static TokenSequence seq(String stream, long n, int length, int vocab) {
        int[] tokens = new int[length];
        ReplayRng rng = ReplayRng.seeded(ReplayRng.derive(n, stream));
        for (int i = 0; i < length; i++) {
            tokens[i] = rng.nextInt(vocab);
        }
        return new TokenSequence(stream, n, TOKENIZER, vocab, tokens);
    }

    /** Bytes of one record: the TokenSequence encoding (u16 tokens for vocabularies up to 65536). */
    static int recordBytes(String stream, int length, int vocab) {
        return 4 + 1 + stream.length() + 8 + 1 + TOKENIZER.length() + 4 + 4 + (vocab <= 65_536 ? 2 : 4) * length;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
