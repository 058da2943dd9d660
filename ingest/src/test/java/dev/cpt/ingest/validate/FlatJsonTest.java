package dev.cpt.ingest.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpt.ingest.text.Utf8;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FlatJson} must read exactly what Jackson reads wherever it reads at all, and give up on
 * everything the validator needs Jackson for.
 */
class FlatJsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    /** Characters that stress the string reader: quotes, backslashes, controls, multi-byte and astral code points. */
    private static final String ALPHABET = "ab \"\\/\b\f\n\r\t\u0000\u001f\u007f\u00e9\u0301\u2028\u20ac\uffff\ud83d\ude00\ud800\udc00";

    /** A document as a producer might write it: members in any order, unknown string members, any escaping. */
    @Provide
    Arbitrary<String> documents() {
        Arbitrary<String> strings = Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(40)
                .filter(s -> validUtf16(s));
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(strings, strings.injectNull(0.3), strings.injectNull(0.3), strings.list().ofMaxSize(2), seeds)
                .as((text, id, stream, extra, seed) -> {
                    Random r = new Random(seed);
                    List<String> members = new ArrayList<>();
                    members.add(member("text", text, r));
                    if (id != null) {
                        members.add(member("id", id, r));
                    }
                    if (stream != null) {
                        members.add(member("stream", stream, r));
                    }
                    for (int k = 0; k < extra.size(); k++) {
                        members.add(member("x" + k, extra.get(k), r));
                    }
                    java.util.Collections.shuffle(members, r);
                    String ws = List.of("", " ", "\n\t ", "\r\n").get(r.nextInt(4));
                    return ws + "{" + ws + String.join(ws + "," + ws, members) + ws + "}" + ws;
                });
    }

    @Property(tries = 3000)
    void shouldReadWhatJacksonReadsFromAnyFlatDocument(@ForAll("documents") String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        FlatJson.Fields f = FlatJson.read(bytes);

        assertThat(f).as(json).isNotNull();
        assertSameAsJackson(bytes, f);
    }

    /**
     * Whatever one edit at a JSON-significant place makes of a document, the reader either gives up
     * or agrees with Jackson; it never accepts what Jackson refuses.
     */
    @Property(tries = 5000)
    void shouldNeverDisagreeWithJacksonOnAnEditedDocument(@ForAll("documents") String json, @ForAll("edits") Edit edit) throws Exception {
        String edited = edit.apply(json);
        byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
        if (Utf8.firstInvalid(bytes) >= 0) {
            return; // the validator rejects invalid UTF-8 before it reads JSON
        }
        FlatJson.Fields f = FlatJson.read(bytes);
        if (f != null) {
            assertSameAsJackson(bytes, f);
        }
    }

    record Edit(int position, String replacement, int removed) {
        String apply(String s) {
            int at = Math.min(position, s.length());
            int to = Math.min(s.length(), at + removed);
            return s.substring(0, at) + replacement + s.substring(to);
        }
    }

    @Provide
    Arbitrary<Edit> edits() {
        Arbitrary<String> pieces = Arbitraries.of("\"", "\\", ",", ":", "{", "}", "[1]", "null", "1", "true", "\\u", "\\ud800",
                "\\udc00", "\\x", "\u0001", " ", "\"text\":\"t\",", "\"meta\":{},", "\"id\":\"\",", "\"text\":null,", "");
        return Combinators.combine(Arbitraries.integers().between(0, 120), pieces, Arbitraries.integers().between(0, 3)).as(Edit::new);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{\"text\":\"a\",\"meta\":{\"k\":1}}",          // meta: Jackson converts it
            "{\"text\":\"a\",\"meta\":\"m\"}",              // meta that is not an object: Jackson's error to report
            "{\"text\":null}",
            "{\"text\":1}",
            "{\"text\":\"a\",\"n\":[1]}",
            "{\"te\\u0078t\":\"a\"}",                       // escaped key
            "{\"text\":\"a\",\"text\":\"b\"}",              // repeated member: Jackson keeps the last
            "{\"text\":\"\\ud800\"}",                       // unpaired surrogate escape
            "{\"text\":\"\\udc00\\ud800\"}",
            "{\"text\":\"a\\qb\"}",                         // unknown escape
            "{\"text\":\"a\u0001b\"}",                      // raw control character
            "{\"text\":\"a\"} x",                           // trailing content
            "\ufeff{\"text\":\"a\"}",                       // byte-order mark
            "{\"text\":\"a\",}",
            "{\"text\":\"a\"",
            "{\"text\":\"a",
            "[\"text\"]",
            ""})
    void shouldLeaveEverythingElseToJackson(String json) {
        assertThat(FlatJson.read(json.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void shouldDecodeEveryEscapeToUtf8() {
        FlatJson.Fields f = FlatJson.read("{\"id\":\"d\\/1\",\"text\":\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00 end\"}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(f).isNotNull();
        assertThat(f.id()).isEqualTo("d/1");
        assertThat(f.stream()).isNull();
        assertThat(new String(f.text(), StandardCharsets.UTF_8)).isEqualTo("q\"b\\s/\b\f\n\r\té€😀 end");
    }

    @Test
    void shouldReadAnEmptyObjectAsNoMembers() {
        assertThat(FlatJson.read(" {  } ".getBytes(StandardCharsets.UTF_8))).isEqualTo(new FlatJson.Fields(null, null, null));
    }

    private static void assertSameAsJackson(byte[] bytes, FlatJson.Fields f) throws Exception {
        JsonNode root = JACKSON.readTree(bytes);
        assertThat(root.isObject()).isTrue();
        assertThat(root.get("meta")).isNull();
        assertThat(text(root, "id")).isEqualTo(f.id());
        assertThat(text(root, "stream")).isEqualTo(f.stream());
        String text = text(root, "text");
        assertThat(text == null ? null : text.getBytes(StandardCharsets.UTF_8)).isEqualTo(f.text());
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        assertThat(n == null || n.isTextual()).as(field).isTrue();
        return n == null ? null : n.asText();
    }

    /** Strings whose surrogates are paired: the only ones a producer's UTF-8 encoder can write as they are. */
    private static boolean validUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A member with its value escaped as a random producer might: minimally, every character as \\u, or a mix. */
    private static String member(String key, String value, Random r) {
        StringBuilder b = new StringBuilder("\"").append(key).append("\":\"");
        int style = r.nextInt(3);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean mustEscape = c == '"' || c == '\\' || c < 0x20;
            boolean asU = style == 1 || (style == 2 && r.nextBoolean());
            if (asU) { // a surrogate pair both escaped, or both as they are
                String hex = r.nextBoolean() ? "\\u%04x" : "\\u%04X";
                b.append(String.format(hex, (int) c));
                if (Character.isHighSurrogate(c)) {
                    b.append(String.format(hex, (int) value.charAt(++i)));
                }
            } else if (mustEscape || (c == '/' && r.nextBoolean())) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '/' -> b.append("\\/");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> b.append(String.format("\\u%04x", (int) c));
                }
            } else {
                b.append(c);
                if (Character.isHighSurrogate(c)) {
                    b.append(value.charAt(++i));
                }
            }
        }
        return b.append('"').toString();
    }
}
