package dev.cpt.ingest.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpt.core.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A HuggingFace {@code tokenizer.json}, run by DJL's tokenizers library (its native library is
 * extracted from the jar: no network). The id is {@code hf-} and the first 16 hex digits of the
 * file's SHA-256, so that any change of vocabulary or rules changes the id the trainer checks.
 */
public final class HfTokenizer implements Tokenizer {

    /** End-of-text tokens in the order they are looked for among the file's added tokens. */
    static final List<String> EOS_NAMES = List.of("<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>", "[SEP]", "<|eot_id|>");

    private final HuggingFaceTokenizer tokenizer;
    private final String id;
    private final int vocabSize;
    private final int eos;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, String id, int vocabSize, int eos) {
        this.tokenizer = tokenizer;
        this.id = id;
        this.vocabSize = vocabSize;
        this.eos = eos;
    }

    /** @throws ConfigException naming the file and what is wrong with it */
    public static HfTokenizer load(Path file) {
        byte[] bytes;
        JsonNode root;
        try {
            bytes = Files.readAllBytes(file);
            root = new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw new ConfigException("invalid value for cpt.ingest.tokenizer: '" + file + "' cannot be read as a tokenizer.json: " + e.getMessage());
        }
        int maxId = -1;
        Integer eos = null;
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) { // BPE, WordPiece, WordLevel: token -> id
            for (JsonNode idNode : (Iterable<JsonNode>) vocab::elements) {
                maxId = Math.max(maxId, idNode.asInt());
            }
        } else if (vocab.isArray()) { // Unigram: [token, score] by id
            maxId = vocab.size() - 1;
        }
        for (JsonNode added : root.path("added_tokens")) {
            maxId = Math.max(maxId, added.path("id").asInt());
        }
        for (String name : EOS_NAMES) {
            for (JsonNode added : root.path("added_tokens")) {
                if (eos == null && name.equals(added.path("content").asText())) {
                    eos = added.path("id").asInt();
                }
            }
        }
        if (maxId < 0) {
            throw new ConfigException("invalid value for cpt.ingest.tokenizer: '" + file + "' has no model.vocab");
        }
        if (eos == null) {
            throw new ConfigException("invalid value for cpt.ingest.tokenizer: '" + file
                    + "' has no end-of-text token among its added_tokens; cpt separates documents with one of " + EOS_NAMES);
        }
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false", "truncation", "false",
                    "padding", "false", "maxLength", String.valueOf(Integer.MAX_VALUE)));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("invalid value for cpt.ingest.tokenizer: '" + file + "' is not a tokenizer.json the "
                    + "HuggingFace tokenizers library accepts: " + e.getMessage());
        }
        return new HfTokenizer(tokenizer, "hf-" + sha256(bytes).substring(0, 16), maxId + 1, eos);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int eos() {
        return eos;
    }

    @Override
    public int[] encode(String text) {
        Encoding e = tokenizer.encode(text, false, false);
        long[] ids = e.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }
}
