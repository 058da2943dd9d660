package dev.cpt.ingest.push;

import dev.cpt.core.format.DocHeaders;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class PusherTest {

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();

    /** A MockProducer that fails the records whose value contains a marker, with the exception given for it. */
    static final class FailingProducer extends MockProducer<byte[], byte[]> {
        private final Function<String, RuntimeException> failure;

        FailingProducer(Function<String, RuntimeException> failure) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.failure = failure;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            RuntimeException e = failure.apply(new String(record.value(), StandardCharsets.UTF_8));
            if (e == null) {
                return super.send(record, callback);
            }
            callback.onCompletion(null, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    private DocumentSource source(String jsonl) throws Exception {
        Path p = dir.resolve("in.jsonl");
        Files.writeString(p, jsonl);
        return DocumentSource.open(List.of(new PushInput.File(p)), new SourceOptions(Optional.empty(), false, BadLinePolicy.SKIP),
                InputStream.nullInputStream(), problems::add);
    }

    private PushListener collecting() {
        return new PushListener() {
            @Override
            public void progress(PushProgress progress) {
                clock.addAndGet(1_000_000);
            }

            @Override
            public void problem(String message) {
                problems.add(message);
            }

            @Override
            public void finished() {
            }
        };
    }

    @Test
    void shouldSendKeyValueAndFormatHeaderOfEveryRecordAndSummarize() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        String a = "{\"stream\":\"s1\",\"text\":\"a\"}";
        String b = "{\"stream\":\"s2\",\"text\":\"bb\"}";

        PushSummary summary;
        try (DocumentSource src = source(a + "\nbad\n" + b + "\n")) {
            summary = new Pusher(producer, "cpt.docs", collecting(), clock::get).push(src);
        }

        assertThat(producer.history()).hasSize(2);
        ProducerRecord<byte[], byte[]> first = producer.history().get(0);
        assertThat(first.topic()).isEqualTo("cpt.docs");
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("s1");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo(a);
        assertThat(first.headers().toArray()).singleElement().satisfies(h -> {
            assertThat(h.key()).isEqualTo(DocHeaders.FORMAT);
            assertThat(new String(h.value(), StandardCharsets.UTF_8)).isEqualTo(DocHeaders.FORMAT_JSON);
        });
        assertThat(new String(producer.history().get(1).key(), StandardCharsets.UTF_8)).isEqualTo("s2");
        assertThat(producer.flushed()).isTrue();
        assertThat(summary.documents()).isEqualTo(2);
        assertThat(summary.bytes()).isEqualTo(a.length() + b.length());
        assertThat(summary.badLines()).isEqualTo(1);
        assertThat(summary.files()).isEqualTo(1);
        assertThat(summary.topic()).isEqualTo("cpt.docs");
        assertThat(summary.elapsed().toMillis()).isEqualTo(2);
        assertThat(summary.complete()).isTrue();
    }

    @Test
    void shouldCountRecordTooLargeAsNotSentAndGoOn() throws Exception {
        FailingProducer producer = new FailingProducer(v -> v.contains("HUGE") ? new RecordTooLargeException("too big") : null);

        PushSummary summary;
        try (DocumentSource src = source("{\"stream\":\"s\",\"text\":\"HUGE\"}\n{\"stream\":\"s\",\"text\":\"ok\"}\n")) {
            summary = new Pusher(producer, "t", collecting(), clock::get).push(src);
        }

        assertThat(summary.documents()).isEqualTo(1);
        assertThat(summary.notSent()).isEqualTo(1);
        assertThat(summary.firstSendError()).contains("RecordTooLargeException: too big");
        assertThat(summary.stoppedAt()).isEmpty();
        assertThat(summary.complete()).isFalse();
        assertThat(problems).containsExactly(dir.resolve("in.jsonl") + ":1: not sent (RecordTooLargeException: too big)");
    }

    @Test
    void shouldStopSendingAfterAFailureThatWouldHitEveryRecord() throws Exception {
        FailingProducer producer = new FailingProducer(v -> v.contains("\"2\"") ? new TimeoutException("metadata") : null);
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            lines.append("{\"stream\":\"s\",\"text\":\"").append(i).append("\"}\n");
        }

        PushSummary summary;
        try (DocumentSource src = source(lines.toString())) {
            summary = new Pusher(producer, "t", collecting(), clock::get).push(src);
        }

        assertThat(producer.history()).hasSize(1);
        assertThat(summary.documents()).isEqualTo(1);
        assertThat(summary.notSent()).isEqualTo(1);
        assertThat(summary.stoppedAt()).contains(dir.resolve("in.jsonl") + ":2");
    }

    @Test
    void shouldReportOnlyTheFirstTenFailuresOneByOne() throws Exception {
        FailingProducer producer = new FailingProducer(v -> new RecordTooLargeException("no"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            lines.append("{\"stream\":\"s\",\"text\":\"").append(i).append("\"}\n");
        }

        PushSummary summary;
        try (DocumentSource src = source(lines.toString())) {
            summary = new Pusher(producer, "t", collecting(), clock::get).push(src);
        }

        assertThat(summary.notSent()).isEqualTo(25);
        assertThat(problems).hasSize(11).last().isEqualTo("... and 15 more documents not sent");
    }

    @Test
    void shouldDrawProgressWhileSending() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        StringWriter err = new StringWriter();

        try (DocumentSource src = source("{\"stream\":\"s\",\"text\":\"1\"}\n")) {
            new Pusher(producer, "t", new ProgressReporter(new PrintWriter(err), true, clock::get), clock::get).push(src);
        }

        assertThat(err.toString()).startsWith("\r1 document  ").contains("100%").endsWith("\r");
    }
}
