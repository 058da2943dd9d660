package dev.cpt.ingest.tokenize;

import dev.cpt.core.config.ConfigException;

/** Builds the tokenizer named by {@code cpt.ingest.tokenizer}. */
public final class Tokenizers {

    private Tokenizers() {
    }

    /**
     * @param name {@code byte}
     * @throws ConfigException for any other value, naming what is allowed
     */
    public static Tokenizer byName(String name) {
        if (name.strip().equals("byte")) {
            return new ByteTokenizer();
        }
        throw new ConfigException("invalid value for cpt.ingest.tokenizer: '" + name
                + "' must be 'byte' (HuggingFace tokenizer.json files are not supported yet)");
    }
}
