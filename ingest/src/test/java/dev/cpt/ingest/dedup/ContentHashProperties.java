package dev.cpt.ingest.dedup;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHashProperties {

    /** The single-pass normalization must say exactly what the obvious regex says. */
    @Property(tries = 2000)
    void normalizeEqualsTheRegexDefinition(@ForAll @StringLength(max = 80)
                                           @Chars({' ', '\t', '\n', '\u000B', '\f', '\r', '\u00A0', '\u2003', 'a', 'é'})
                                           @CharRange(from = 'x', to = 'z') String text) {
        String nfc = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC);
        assertThat(ContentHash.normalize(text)).isEqualTo(nfc.replaceAll("\\s+", " ").strip());
    }

    @Property(tries = 1000)
    void utf8LengthEqualsTheEncodedLength(@ForAll @StringLength(max = 60) String text) {
        assertThat(ContentHash.utf8Length(text)).isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
}
