package dev.cpt.ingest.demo;

/**
 * Writes the text of one document of one synthetic stream. Implementations are pure functions of
 * their arguments: all randomness comes from {@code rng}, seeded per document by
 * {@link SyntheticStreams}, which is what makes documents reproducible and addressable by index.
 */
sealed interface TextGenerator permits ArithmeticText, WeatherText, CodeText {

    /**
     * @param number the document's index in its stream; written into the text so that no two
     *               documents of a stream are ever equal (the ingest drops exact duplicates)
     * @param rng    this document's own random source
     * @return text of {@link SyntheticStreams#MIN_BYTES} to {@link SyntheticStreams#MAX_BYTES} UTF-8 bytes
     */
    String text(long number, SplitMix64 rng);
}
