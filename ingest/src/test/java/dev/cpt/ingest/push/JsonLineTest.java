package dev.cpt.ingest.push;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLineTest {

    private static JsonLine.Inspection inspect(String s) {
        return JsonLine.inspect(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldFindTopLevelStreamAndIgnoreNestedOnes() {
        assertThat(inspect("{\"meta\":{\"stream\":\"inner\",\"a\":[1,{\"stream\":\"x\"}]},\"stream\":\"outer\",\"text\":\"t\"}").stream())
                .contains("outer");
        assertThat(inspect("{\"meta\":{\"stream\":\"inner\"},\"text\":\"t\"}").stream()).isEmpty();
        assertThat(inspect("{\"text\":\"t\"}").error()).isEmpty();
    }

    @Test
    void shouldRejectEverythingThatIsNotOneJsonObject() {
        assertThat(inspect("[1]").error()).contains("not JSON (expected an object, found an array)");
        assertThat(inspect("\"s\"").error()).contains("not JSON (expected an object, found a string)");
        assertThat(inspect("{} {}").error()).contains("not JSON (more after the object: an object)");
        assertThat(inspect("{\"a\":1").error()).hasValueSatisfying(e -> assertThat(e).startsWith("not JSON (").contains("end-of-input"));
        assertThat(inspect("{\"a\":[1,2}").error()).hasValueSatisfying(e -> assertThat(e).startsWith("not JSON (").contains("column"));
        assertThat(inspect("hello").error()).hasValueSatisfying(e -> assertThat(e).startsWith("not JSON (Unrecognized token 'hello'"));
    }
}
