package dev.cpt.ingest.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpt.core.format.DocHeaders;
import dev.cpt.core.format.DlqReason;
import dev.cpt.core.format.StreamId;
import dev.cpt.ingest.dedup.ContentHash;
import dev.cpt.ingest.text.Utf8;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The rules a record of {@code cpt.docs} must pass (docs/formats.md). Pure: the same bytes always
 * give the same outcome, which is what makes the dead-letter topic trustworthy.
 */
public final class Validator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxBytes;
    private final Set<String> allowedStreams;

    /**
     * @param maxBytes largest accepted value
     * @param allowedStreams empty = every valid stream id is accepted
     */
    public Validator(int maxBytes, Set<String> allowedStreams) {
        this.maxBytes = maxBytes;
        this.allowedStreams = Set.copyOf(allowedStreams);
    }

    public Outcome validate(byte[] key, byte[] value, Headers headers) {
        if (value == null || value.length == 0) {
            return reject(DlqReason.MISSING_TEXT, "the record has no value", value);
        }
        if (value.length > maxBytes) {
            return reject(DlqReason.OVERSIZE, "the value has " + value.length + " bytes; at most " + maxBytes
                    + " are accepted (cpt.ingest.max.document.bytes)", value);
        }
        int bad = Utf8.firstInvalid(value);
        if (bad >= 0) {
            return reject(DlqReason.INVALID_UTF8,
                    "the value is not valid UTF-8: malformed byte sequence at byte offset " + bad, value);
        }
        String keyText = null;
        if (key != null) {
            if (Utf8.firstInvalid(key) >= 0) {
                return reject(DlqReason.INVALID_UTF8, "the record key is not valid UTF-8", value);
            }
            keyText = new String(key, StandardCharsets.UTF_8);
        }
        String format = format(headers, value);
        if (format == null) {
            return reject(DlqReason.MALFORMED_JSON, "header " + DocHeaders.FORMAT + " must be 'json' or 'text'", value);
        }
        // JSON is parsed from the bytes (already known to be valid UTF-8), not from a decoded copy
        return format.equals(DocHeaders.FORMAT_JSON) ? json(keyText, value) : finish(null, keyText, value, Map.of(), value);
    }

    private Outcome json(String key, byte[] original) {
        FlatJson.Fields flat = FlatJson.read(original);
        if (flat != null && flat.text() != null && (flat.id() == null || !flat.id().isEmpty())) {
            return finish(flat.id(), flat.stream() != null ? flat.stream() : key, flat.text(), Map.of(), original);
        }
        return jackson(key, original);
    }

    /** Every JSON document that {@link FlatJson} does not read, and every malformed one. */
    private Outcome jackson(String key, byte[] original) {
        JsonNode root;
        try {
            root = JSON.readTree(original);
        } catch (JsonProcessingException e) {
            return reject(DlqReason.MALFORMED_JSON, "not JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr(), original);
        } catch (java.io.IOException e) { // from an array only when Jackson's encoding detection takes the bytes for UTF-16/32
            return reject(DlqReason.MALFORMED_JSON, "not JSON: " + e.getMessage(), original);
        }
        if (root == null || !root.isObject()) {
            return reject(DlqReason.MALFORMED_JSON, "a JSON document must be an object {\"text\": ...}, got "
                    + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase()), original);
        }
        JsonNode text = root.get("text");
        if (text == null || text.isNull()) {
            return reject(DlqReason.MISSING_TEXT, "the JSON document has no \"text\" field", original);
        }
        if (!text.isTextual()) {
            return reject(DlqReason.INVALID_FIELD, "\"text\" must be a string, got " + text.getNodeType().toString().toLowerCase(), original);
        }
        String id = null;
        JsonNode idNode = root.get("id");
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isTextual() || idNode.asText().isEmpty()) {
                return reject(DlqReason.INVALID_FIELD, "\"id\" must be a non-empty string", original);
            }
            id = idNode.asText();
        }
        String stream = key;
        JsonNode streamNode = root.get("stream");
        if (streamNode != null && !streamNode.isNull()) {
            if (!streamNode.isTextual()) {
                return reject(DlqReason.INVALID_FIELD, "\"stream\" must be a string", original);
            }
            stream = streamNode.asText();
        }
        JsonNode metaNode = root.get("meta");
        Map<String, Object> meta = Map.of();
        if (metaNode != null && !metaNode.isNull()) {
            if (!metaNode.isObject()) {
                return reject(DlqReason.INVALID_FIELD, "\"meta\" must be an object", original);
            }
            meta = JSON.convertValue(metaNode, Map.class);
        }
        return finish(id, stream, text.asText().getBytes(StandardCharsets.UTF_8), meta, original);
    }

    /** @param utf8 the text as valid UTF-8, which is never decoded here: a byte-level ingest does not need the string */
    private Outcome finish(String id, String stream, byte[] utf8, Map<String, Object> meta, byte[] original) {
        if (stream == null) {
            return reject(DlqReason.NO_STREAM, "no record key and no \"stream\" field name the stream", original);
        }
        if (!StreamId.isValid(stream)) {
            return reject(DlqReason.INVALID_STREAM, "stream id '" + abbreviate(stream) + "' does not match " + StreamId.RULE, original);
        }
        if (!allowedStreams.isEmpty() && !allowedStreams.contains(stream)) {
            return reject(DlqReason.STREAM_NOT_ALLOWED, "stream '" + stream + "' is not in cpt.ingest.streams.allowed "
                    + allowedStreams.stream().sorted().toList(), original);
        }
        if (Utf8.isBlank(utf8)) {
            return reject(DlqReason.MISSING_TEXT, "the text is empty or blank", original);
        }
        ContentHash.Keys keys = ContentHash.keys(stream, utf8, id == null);
        return new Outcome.Accepted(id != null ? id : keys.derivedId(), stream, meta, utf8, keys.dedupKey());
    }

    private static String format(Headers headers, byte[] content) {
        Header h = headers == null ? null : headers.lastHeader(DocHeaders.FORMAT);
        if (h != null) {
            String f = h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8).strip();
            return f.equals(DocHeaders.FORMAT_JSON) || f.equals(DocHeaders.FORMAT_TEXT) ? f : null;
        }
        // JSON when the first character that is not whitespace is '{'
        for (int i = 0; i < content.length; i += Utf8.sequenceLength(content[i])) {
            int c = Utf8.codePointAt(content, i);
            if (!Character.isWhitespace(c)) {
                return c == '{' ? DocHeaders.FORMAT_JSON : DocHeaders.FORMAT_TEXT;
            }
        }
        return DocHeaders.FORMAT_TEXT;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static Outcome reject(DlqReason reason, String detail, byte[] original) {
        return new Outcome.Rejected(reason, detail, original);
    }
}
