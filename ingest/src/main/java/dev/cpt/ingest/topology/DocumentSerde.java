package dev.cpt.ingest.topology;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpt.core.format.Document;
import dev.cpt.ingest.validate.Outcome;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON form of a validated {@link Document}, for the ingest's internal repartition topic; an
 * {@link Outcome.Accepted} travels as its document, and its text's UTF-8 bytes and dedup key are made again on arrival.
 */
final class DocumentSerde {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DocumentSerde() {
    }

    static Serde<Outcome.Accepted> accepted() {
        Serde<Document> documents = serde();
        return Serdes.serdeFrom((topic, e) -> documents.serializer().serialize(topic, e == null ? null : e.document()),
                (topic, bytes) -> {
                    Document d = documents.deserializer().deserialize(topic, bytes);
                    return d == null ? null : Outcome.Accepted.of(d, d.text().getBytes(StandardCharsets.UTF_8));
                });
    }

    static Serde<Document> serde() {
        return Serdes.serdeFrom((topic, d) -> {
            if (d == null) {
                return null;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("stream", d.stream());
            m.put("text", d.text());
            m.put("meta", d.meta());
            try {
                return JSON.writeValueAsBytes(m);
            } catch (IOException e) {
                throw new SerializationException("cannot write document " + d.id(), e);
            }
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                Map<String, Object> m = JSON.readValue(bytes, new TypeReference<Map<String, Object>>() { });
                @SuppressWarnings("unchecked")
                Map<String, Object> meta = (Map<String, Object>) m.get("meta");
                return new Document((String) m.get("id"), (String) m.get("stream"), (String) m.get("text"), meta);
            } catch (IOException | ClassCastException e) {
                throw new SerializationException("corrupt document on " + topic, e);
            }
        });
    }
}
