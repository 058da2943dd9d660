package dev.cpt.ingest.tokenize;

import dev.cpt.core.config.ConfigException;

/** Builds the tokenizer named by {@code cpt.ingest.tokenizer}. */
public final class Tokenizers {

    private Tokenizers() {
    }

    /**
     * @param name {@code byte}, or the path of a HuggingFace {@code tokenizer.json}
     * @throws ConfigException when the file is missing or unusable, naming what is allowed
     */
    public static Tokenizer byName(String name) {
        String n = name.strip();
        if (n.equals("byte")) {
            return new ByteTokenizer();
        }
        java.nio.file.Path file = java.nio.file.Path.of(n);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new ConfigException("invalid value for cpt.ingest.tokenizer: '" + name
                    + "' must be 'byte' or the path of an existing HuggingFace tokenizer.json");
        }
        return HfTokenizer.load(file);
    }
}
