package dev.cpt.ingest.tokenize;

import dev.cpt.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real HuggingFace tokenizer.json through DJL's native tokenizers library, offline. */
public class HfTokenizerTest {

    public static final String WORD_LEVEL = """
            {"version":"1.0","truncation":null,"padding":null,
             "added_tokens":[
               {"id":0,"content":"[UNK]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},
               {"id":9,"content":"</s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],
             "normalizer":{"type":"Lowercase"},"pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":null,
             "model":{"type":"WordLevel","vocab":{"[UNK]":0,"the":1,"cat":2,"sat":3,"on":4,"mat":5,".":6,"</s>":9},
                      "unk_token":"[UNK]"}}
            """;

    @TempDir
    Path dir;

    @Test
    void shouldEncodeWithTheFilesVocabularyAndFindItsEndOfTextToken() throws Exception {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), WORD_LEVEL);

        Tokenizer t = Tokenizers.byName(file.toString());

        assertThat(t.encode("The cat sat on the mat. Dog")).containsExactly(1, 2, 3, 4, 1, 5, 6, 0);
        assertThat(t.eos()).isEqualTo(9);
        assertThat(t.vocabSize()).isEqualTo(10);
        assertThat(t.id()).startsWith("hf-").hasSize(19);
    }

    @Test
    void shouldNotTruncateLongDocuments() throws Exception {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), WORD_LEVEL);

        int[] tokens = Tokenizers.byName(file.toString()).encode("the cat ".repeat(2000));

        assertThat(tokens).hasSize(4000);
    }

    @Test
    void shouldChangeIdWhenTheVocabularyChanges() throws Exception {
        Path a = Files.writeString(dir.resolve("a.json"), WORD_LEVEL);
        Path b = Files.writeString(dir.resolve("b.json"), WORD_LEVEL.replace("\"mat\":5", "\"mats\":5"));

        assertThat(Tokenizers.byName(a.toString()).id()).isNotEqualTo(Tokenizers.byName(b.toString()).id());
    }

    @Test
    void shouldRefuseAFileWithoutEndOfTextToken() throws Exception {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), WORD_LEVEL.replace("</s>", "<pad>"));

        assertThatThrownBy(() -> Tokenizers.byName(file.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cpt.ingest.tokenizer")
                .hasMessageContaining("no end-of-text token");
    }

    @Test
    void shouldRefuseAMissingFileNamingWhatIsAllowed() {
        assertThatThrownBy(() -> Tokenizers.byName(dir.resolve("nope.json").toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be 'byte' or the path of an existing HuggingFace tokenizer.json");
    }

    @Test
    void shouldRoundTripTextThroughTheByteTokenizer() {
        ByteTokenizer t = new ByteTokenizer();
        String text = "naïve café, 東京 🚀";

        assertThat(ByteTokenizer.decode(t.encode(text))).isEqualTo(text);
        assertThat(java.util.Arrays.stream(t.encode(text)).allMatch(x -> x >= 0 && x < 256)).isTrue();
    }
}
