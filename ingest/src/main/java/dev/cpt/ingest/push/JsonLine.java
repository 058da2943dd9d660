package dev.cpt.ingest.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Optional;

/**
 * The one thing push needs from a JSONL line: is it a JSON object, and which string is its
 * top-level {@code "stream"} field. A streaming parse: nothing but the stream id is kept, so a
 * 300 KB document costs no tree.
 */
final class JsonLine {

    /** The outcome: {@code error} is empty for a JSON object, and then {@code stream} is its "stream" string if any. */
    record Inspection(Optional<String> stream, Optional<String> error) {
        static Inspection object(String stream) {
            return new Inspection(Optional.ofNullable(stream), Optional.empty());
        }

        static Inspection bad(String error) {
            return new Inspection(Optional.empty(), Optional.of(error));
        }
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonLine() {
    }

    /** Never throws: anything that is not exactly one JSON object comes back with the reason. */
    static Inspection inspect(byte[] line) {
        try (JsonParser p = FACTORY.createParser(line)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                return Inspection.bad("not JSON (expected an object, found " + describe(first) + ")");
            }
            String stream = null;
            String streamError = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("stream".equals(name)) {
                    if (value == JsonToken.VALUE_STRING) {
                        stream = p.getText();
                        streamError = null;
                    } else if (value == JsonToken.VALUE_NULL) {
                        stream = null; // null is as good as absent: --stream applies
                        streamError = null;
                    } else {
                        streamError = "\"stream\" is " + describe(value) + ", not a string";
                    }
                }
                p.skipChildren(); // skips (and still tokenizes, so checks) nested objects and arrays
            }
            if (t != JsonToken.END_OBJECT) { // the parser throws first on broken input; kept for safety
                return Inspection.bad("not JSON (unexpected " + describe(t) + ")");
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                return Inspection.bad("not JSON (more after the object: " + describe(after) + ")");
            }
            return streamError != null ? Inspection.bad(streamError) : Inspection.object(stream);
        } catch (JsonProcessingException e) {
            return Inspection.bad("not JSON (" + e.getOriginalMessage() + " at column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) { // cannot happen on a byte array; kept so the contract "never throws" holds
            return Inspection.bad("not JSON (" + e.getMessage() + ")");
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
